namespace Bollard.Dashboard;

/// <summary>One event of <c>GET /v1/events</c>: its id (increasing by one per event, never reused by this process), its
/// type and its JSON data. The types and their data are described in the folder's README.</summary>
internal sealed record DashboardEvent(long Id, string Type, string Data);

using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Specs;

public sealed class SecuritySpecTests
{
    private const string Head = "name: web\nimage: app:1\nport: 80\n";

    [Fact]
    public void Reads_user_read_only_root_capabilities_and_tmpfs()
    {
        var spec = Load(Head + """
            security:
              user: "1000:1000"
              readOnlyRootFilesystem: true
              capabilities: {add: [net_bind_service, CAP_CHOWN]}
              tmpfs: [/tmp, {path: /var/cache/app/, size: 16Mi}]
            resources: {pids: 200}
            """);

        Assert.Equal("1000:1000", spec.Security.User);
        Assert.True(spec.Security.ReadOnlyRootFilesystem);
        Assert.Equal(["CHOWN", "NET_BIND_SERVICE"], spec.Security.AddCapabilities);
        Assert.Equal([new TmpfsMount("/tmp", SpecDefaults.TmpfsSizeBytes), new TmpfsMount("/var/cache/app", 16L * 1024 * 1024)], spec.Security.Tmpfs);
        Assert.Equal(200, spec.Resources.Pids);
    }

    [Fact]
    public void Without_a_security_block_a_replica_gets_the_defaults()
    {
        var spec = Load(Head);

        Assert.Equal(new SecuritySpec(), spec.Security);
        Assert.Null(spec.Security.User);
        Assert.False(spec.Security.ReadOnlyRootFilesystem);
        Assert.Empty(spec.Security.AddCapabilities);
        Assert.Equal(SpecDefaults.Pids, spec.Resources.Pids);
    }

    [Theory]
    [InlineData("security:\n  user: root user\n", "web.yaml:5:9: security.user: 'root user' is not a user")]
    [InlineData("security:\n  readOnlyRootFilesystem: yes\n", "web.yaml:5:27: security.readOnlyRootFilesystem: must be true or false, got 'yes'")]
    [InlineData("security:\n  capabilities: {add: [NET_BIND_SERVICE, FLY]}\n", "web.yaml:5:42: security.capabilities.add[1]: 'FLY' is not a Linux capability")]
    [InlineData("security:\n  capabilities: {add: [ALL]}\n", "web.yaml:5:24: security.capabilities.add[0]: ALL would give every capability back")]
    [InlineData("security:\n  capabilities: {drop: [CHOWN]}\n", "web.yaml:5:18: security.capabilities.drop: unknown field (allowed here: add)")]
    [InlineData("security:\n  capabilities: {add: CHOWN}\n", "web.yaml:5:23: security.capabilities.add: must be a list")]
    [InlineData("security:\n  tmpfs: [tmp]\n", "web.yaml:5:11: security.tmpfs[0]: 'tmp' must be an absolute path other than '/'")]
    [InlineData("security:\n  tmpfs: [/]\n", "web.yaml:5:11: security.tmpfs[0]: '/' must be an absolute path other than '/'")]
    [InlineData("security:\n  tmpfs: [{path: /tmp, size: lots}]\n", "web.yaml:5:30: security.tmpfs[0].size: must be a size of at least 1Mi")]
    [InlineData("security:\n  tmpfs: [/tmp, /tmp/]\n", "web.yaml:5:17: security.tmpfs[1]: '/tmp' is listed twice")]
    [InlineData("security:\n  privileged: true\n", "web.yaml:5:3: security.privileged: unknown field (allowed here: capabilities, readOnlyRootFilesystem, tmpfs, user)")]
    [InlineData("resources:\n  pids: 3\n", "web.yaml:5:9: resources.pids: must be a whole number from 16 to 1000000, got '3'")]
    public void Bad_values_are_reported_with_file_line_and_field(string lines, string expected)
    {
        var error = Assert.Throws<SpecValidationException>(() => Load(Head + lines));

        Assert.Contains(error.Errors, e => e.ToString().StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_security_setting_and_the_pid_limit_make_a_new_version()
    {
        var plain = Load(Head);
        string[] changed =
        [
            "security: {user: nobody}\n",
            "security: {readOnlyRootFilesystem: true}\n",
            "security: {capabilities: {add: [NET_BIND_SERVICE]}}\n",
            "security: {tmpfs: [/tmp]}\n",
            "security: {tmpfs: [{path: /tmp, size: 8Mi}]}\n",
            "resources: {pids: 64}\n",
        ];

        var versions = changed.Select(c => Load(Head + c).Version).Append(plain.Version).ToList();
        Assert.Equal(versions.Count, versions.Distinct().Count());
        Assert.Equal(plain.Version, Load(Head + "security: {readOnlyRootFilesystem: false, capabilities: {add: []}}\n").Version);
    }

    private static ServiceSpec Load(string yaml) => Assert.Single(SpecLoader.LoadTexts([("web.yaml", yaml)]));
}

using Bollard.Discovery.Consul;

namespace Bollard.Discovery.Tests.Consul;

public sealed class BlockingQueryIndexTests
{
    [Theory]
    [InlineData(0ul, 0ul, 1ul)] // a 0 from Consul would make the next query return at once: block on 1 instead
    [InlineData(0ul, 7ul, 7ul)] // first query
    [InlineData(7ul, 7ul, 7ul)] // timeout without change
    [InlineData(7ul, 9ul, 9ul)] // change
    [InlineData(9ul, 4ul, 0ul)] // went backwards (snapshot restore): start over with a plain read
    [InlineData(9ul, 0ul, 0ul)] // backwards to 0 is backwards too
    [InlineData(1ul, 0ul, 0ul)]
    public void Next_index_follows_Consuls_rules(ulong previous, ulong returned, ulong expected) =>
        Assert.Equal(expected, BlockingQueryIndex.Next(previous, returned));

    [Fact]
    public void A_reset_index_is_never_sent_as_a_blocking_index()
    {
        var index = BlockingQueryIndex.Next(9, 4);

        Assert.Equal(string.Empty, BlockingQueryIndex.Query(index, TimeSpan.FromSeconds(60)));
        Assert.Equal(1ul, BlockingQueryIndex.Next(index, 0));
    }

    [Theory]
    [InlineData(0ul, "")]
    [InlineData(1ul, "index=1&wait=60s")]
    [InlineData(12345ul, "index=12345&wait=60s")]
    public void Query_blocks_only_on_a_positive_index(ulong index, string expected) =>
        Assert.Equal(expected, BlockingQueryIndex.Query(index, TimeSpan.FromSeconds(60)));
}

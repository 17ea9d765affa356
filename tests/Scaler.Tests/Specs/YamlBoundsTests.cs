using Bollard.Scaler.Specs;

namespace Bollard.Scaler.Tests.Specs;

public sealed class YamlBoundsTests
{
    [Fact]
    public void Ordinary_anchors_and_nesting_are_fine()
    {
        const string yaml = "name: web\nimage: app:1\nport: 80\nenv: &e {A: x}\n---\nname: b\nimage: app:1\nport: 81\nenv: &e {B: y}\n";

        Assert.Null(YamlBounds.Check("a.yaml", yaml));
        Assert.Equal(2, SpecLoader.LoadTexts([("a.yaml", yaml)]).Count);
    }

    [Fact]
    public void Aliases_expanding_past_the_bound_are_located_at_the_alias_that_crosses_it()
    {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n";

        var error = YamlBounds.Check("lol.yaml", yaml);

        Assert.NotNull(error);
        Assert.Equal(4, error.Line);
        Assert.StartsWith("lol.yaml:4:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_past_the_bound_is_refused_before_the_tree_is_built()
    {
        var error = Assert.Throws<SpecValidationException>(() => SpecLoader.LoadTexts([("deep.yaml", new string('[', 200_000))]));

        Assert.Contains($"nested deeper than {YamlBounds.MaxDepth} levels", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }
}

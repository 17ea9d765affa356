namespace Bollard.Scaler.Specs;

/// <summary>
/// "Did you mean" for a mistyped name: the known name closest to it, when it is close enough to be the one meant.
/// Distance is the optimal string alignment distance (an insertion, deletion, substitution or swap of two neighbours
/// each count one), compared without case.
/// </summary>
public static class Spelling
{
    /// <summary>The candidate at most <paramref name="maxDistance"/> edits from <paramref name="word"/> (the nearest,
    /// the first in order on a tie), or null.</summary>
    public static string? Closest(string word, IEnumerable<string> candidates, int maxDistance = 1)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(candidates);
        string? best = null;
        var bestDistance = maxDistance + 1;
        foreach (var candidate in candidates)
        {
            var distance = Distance(word.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance && candidate != word)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best;
    }

    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}

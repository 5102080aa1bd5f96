namespace GpuProxy.Load;

/// <summary>
/// Draws ranks 0..n-1 with probability proportional to 1/(rank+1)^s: a few keys get most of the traffic, a long tail
/// gets the rest, as in the seed's scenario. Ranks are mapped through a fixed shuffle so popular ids are spread out.
/// </summary>
internal sealed class Zipf
{
    private readonly double[] _cdf;
    private readonly int[] _permutation;

    public Zipf(int n, double s, Random random)
    {
        _cdf = new double[n];
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            sum += 1.0 / Math.Pow(i + 1, s);
            _cdf[i] = sum;
        }

        for (var i = 0; i < n; i++)
        {
            _cdf[i] /= sum;
        }

        _permutation = Enumerable.Range(0, n).ToArray();
        random.Shuffle(_permutation);
    }

    public int Next(Random random)
    {
        var index = Array.BinarySearch(_cdf, random.NextDouble());
        index = index < 0 ? ~index : index;
        return _permutation[Math.Min(index, _permutation.Length - 1)];
    }
}

namespace HyperDrive.Core.Sampling.Bayesian;

/// <summary>
/// An in-place Cholesky factor of a dense symmetric matrix (row-major n × n, lower triangle used) and the
/// triangular solves the Gaussian process needs. Hand-written over flat arrays: the GP factors a 200 × 200
/// matrix hundreds of times per kernel fit, where allocating MathNet matrices would dominate.
/// </summary>
internal static class Cholesky
{
    /// <summary>Factors <paramref name="a"/> into L (lower triangle, in place); false when it is not positive definite.</summary>
    public static bool Factor(double[] a, int n)
    {
        for (var j = 0; j < n; j++)
        {
            var rowJ = j * n;
            var d = a[rowJ + j] - Dot(a.AsSpan(rowJ, j), a.AsSpan(rowJ, j));

            if (!(d > 0))
            {
                return false;
            }

            d = Math.Sqrt(d);
            a[rowJ + j] = d;
            for (var i = j + 1; i < n; i++)
            {
                var rowI = i * n;
                a[rowI + j] = (a[rowI + j] - Dot(a.AsSpan(rowI, j), a.AsSpan(rowJ, j))) / d;
            }
        }

        return true;
    }

    /// <summary>Solves L x = b in place.</summary>
    public static void SolveLower(double[] l, int n, double[] b)
    {
        for (var i = 0; i < n; i++)
        {
            var row = i * n;
            b[i] = (b[i] - Dot(l.AsSpan(row, i), b.AsSpan(0, i))) / l[row + i];
        }
    }

    /// <summary>
    /// A SIMD dot product (the triangular solve of every candidate is the GP's hot loop). Always four lanes, summed in a
    /// fixed order, so the result, and so every proposal, is the same on machines of any vector width.
    /// </summary>
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var acc = System.Runtime.Intrinsics.Vector256<double>.Zero;
        var k = 0;
        for (; k <= a.Length - 4; k += 4)
        {
            acc += System.Runtime.Intrinsics.Vector256.Create(a[k..]) * System.Runtime.Intrinsics.Vector256.Create(b[k..]);
        }

        var sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        for (; k < a.Length; k++)
        {
            sum += a[k] * b[k];
        }

        return sum;
    }

    /// <summary>Solves Lᵀ x = b in place.</summary>
    public static void SolveUpper(double[] l, int n, double[] b)
    {
        for (var i = n - 1; i >= 0; i--)
        {
            var s = b[i];
            for (var k = i + 1; k < n; k++)
            {
                s -= l[k * n + i] * b[k];
            }

            b[i] = s / l[i * n + i];
        }
    }

    /// <summary>(L Lᵀ)⁻¹ as a full row-major matrix.</summary>
    public static double[] Inverse(double[] l, int n)
    {
        // Linv (lower) column by column, then K⁻¹ = Linvᵀ Linv.
        var inv = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            inv[i * n + i] = 1 / l[i * n + i];
            for (var j = 0; j < i; j++)
            {
                var s = 0.0;
                for (var k = j; k < i; k++)
                {
                    s -= l[i * n + k] * inv[k * n + j];
                }

                inv[i * n + j] = s / l[i * n + i];
            }
        }

        var result = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var s = 0.0;
                for (var k = i; k < n; k++)
                {
                    s += inv[k * n + i] * inv[k * n + j];
                }

                result[i * n + j] = s;
                result[j * n + i] = s;
            }
        }

        return result;
    }
}

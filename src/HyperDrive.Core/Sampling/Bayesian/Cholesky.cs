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
            var d = a[rowJ + j];
            for (var k = 0; k < j; k++)
            {
                d -= a[rowJ + k] * a[rowJ + k];
            }

            if (!(d > 0))
            {
                return false;
            }

            d = Math.Sqrt(d);
            a[rowJ + j] = d;
            for (var i = j + 1; i < n; i++)
            {
                var rowI = i * n;
                var s = a[rowI + j];
                for (var k = 0; k < j; k++)
                {
                    s -= a[rowI + k] * a[rowJ + k];
                }

                a[rowI + j] = s / d;
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
            var s = b[i];
            for (var k = 0; k < i; k++)
            {
                s -= l[row + k] * b[k];
            }

            b[i] = s / l[row + i];
        }
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

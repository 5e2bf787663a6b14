using MathNet.Numerics.LinearAlgebra;

namespace GradSign.Proxies;

/// <summary>The numerical part of jacob_cov: NumPy's <c>corrcoef</c> and the eigenvalue score.</summary>
internal static class JacobCovMath
{
    /// <summary>The regulariser k in <c>−Σ[log(v + k) + 1/(v + k)]</c> (zero-cost-nas <c>jacob_cov.py</c>).</summary>
    public const double Regularizer = 1e-5;

    /// <summary>
    /// <c>numpy.corrcoef(x)</c> for <paramref name="rows"/> variables (rows) of <paramref name="columns"/> observations,
    /// in float64: rows centred by their mean, <c>c = X Xᵀ / (columns − 1)</c>, then <c>c_ij / s_i / s_j</c> with
    /// <c>s_i = √c_ii</c> (divided in that order, as NumPy does), clipped to [−1, 1]. A zero-variance row gives NaN
    /// in its row and column (0/0), as in NumPy.
    /// </summary>
    public static double[,] Corrcoef(ReadOnlySpan<double> x, int rows, int columns)
    {
        if (x.Length != rows * columns)
        {
            throw new ArgumentException($"x has {x.Length} values; {rows}x{columns} needs {rows * columns}.", nameof(x));
        }

        var centred = new double[rows * columns];
        for (var i = 0; i < rows; i++)
        {
            var row = x.Slice(i * columns, columns);
            var mean = 0.0;
            foreach (var v in row)
            {
                mean += v;
            }

            mean /= columns;
            for (var j = 0; j < columns; j++)
            {
                centred[(i * columns) + j] = row[j] - mean;
            }
        }

        var c = new double[rows, rows];
        var fact = columns - 1.0;
        for (var i = 0; i < rows; i++)
        {
            var a = centred.AsSpan(i * columns, columns);
            for (var j = i; j < rows; j++)
            {
                var b = centred.AsSpan(j * columns, columns);
                var dot = 0.0;
                for (var t = 0; t < columns; t++)
                {
                    dot += a[t] * b[t];
                }

                c[i, j] = c[j, i] = dot / fact;
            }
        }

        var std = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            std[i] = Math.Sqrt(c[i, i]);
        }

        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < rows; j++)
            {
                var v = c[i, j] / std[i] / std[j];
                c[i, j] = double.IsNaN(v) ? v : Math.Clamp(v, -1.0, 1.0);
            }
        }

        return c;
    }

    /// <summary>
    /// <c>−Σ_i [log(v_i + k) + 1/(v_i + k)]</c> over the eigenvalues of the correlation matrix; NaN when the matrix
    /// holds a NaN or ∞ (the reference's <c>eig</c> raises and the measure returns NaN) or an eigenvalue is below −k
    /// (log of a negative number). The matrix is symmetric, so a symmetric eigen-solver is used; the reference's general
    /// <c>eig</c> returns the same real eigenvalues (to ~3e-16 relative on the oracle cases).
    /// </summary>
    public static double Score(double[,] correlation)
    {
        foreach (var v in correlation)
        {
            if (!double.IsFinite(v))
            {
                return double.NaN;
            }
        }

        var eigenvalues = Eigenvalues(correlation);
        var sum = 0.0;
        foreach (var v in eigenvalues)
        {
            sum += Math.Log(v + Regularizer) + (1.0 / (v + Regularizer));
        }

        return -sum;
    }

    /// <summary>Eigenvalues of a symmetric matrix, ascending.</summary>
    public static double[] Eigenvalues(double[,] symmetric)
    {
        var m = Matrix<double>.Build.DenseOfArray(symmetric);
        var values = m.Evd(Symmetricity.Symmetric).EigenValues.Select(z => z.Real).ToArray();
        Array.Sort(values);
        return values;
    }
}

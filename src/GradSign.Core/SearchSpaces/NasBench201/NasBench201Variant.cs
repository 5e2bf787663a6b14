namespace GradSign.SearchSpaces.NasBench201;

/// <summary>Which reference implementation of the NAS-Bench-201 network to reproduce (spec/NETWORKS.md §1.5).</summary>
public enum NasBench201Variant
{
    /// <summary>
    /// SamsungLabs/zero-cost-nas <c>NAS201Model</c> (the network of the zero-cost and GradSign papers): cell convs
    /// <b>with bias</b>, cell BatchNorms <b>without</b> affine parameters, parameter names of its state dict
    /// (<c>stack_cell1.0.options.12.op.1.weight</c>), reduction BatchNorms not removable.
    /// </summary>
    ZeroCostNas,

    /// <summary>
    /// The official AutoDL <c>TinyNetwork</c> (NAS-Bench-201 training, NASWOT): cell convs without bias, affine cell
    /// BatchNorms, parameter names of its state dict (<c>cells.0.layers.0.op.1.weight</c>); its parameter count is
    /// the benchmark's.
    /// </summary>
    Official,
}

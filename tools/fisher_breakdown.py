#!/usr/bin/python3
"""Prints fisher's Spearman rho by kind of NAS-Bench-201 cell, as docs/results.md tabulates it, from the shard files of
a GraSP/fisher/jacob_cov study (any dataset): cells without a dead edge, dead-edge cells with and without a zero-input
convolution, everything but the latter; then fisher without the cells where jacob_cov is NaN, and fisher over groups
of four consecutive shards.

A zero-input convolution is a nor_conv edge whose source node receives only `none` edges or edges from such nodes (so
its input is exactly zero and its output its bias) and whose target node reaches the cell's output through edges other
than `none`. Dead edges come from the benchmark table's `has_dead_edge` column.

Usage: tools/fisher_breakdown.py RESULTS_DIR [DATA_DIR]   (DATA_DIR: $GRADSIGN_DATA, else ../shared/data)
Pure Python (no numpy): Spearman rho with average ranks for ties."""
import collections, csv, glob, gzip, io, math, os, statistics, sys

Cell = collections.namedtuple('Cell', 'shard dead zero_input fisher jacob_cov accuracy')


def ranks(values):
    order = sorted(range(len(values)), key=values.__getitem__)
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def spearman(xs, ys):
    a, b = ranks(xs), ranks(ys)
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    return cov / math.sqrt(sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b))


def edges(arch):
    """(op, source node, target node) of each edge of an arch string."""
    return [(op, int(src), target)
            for target, node in enumerate(arch.strip('|').split('|+|'), start=1)
            for op, src in (edge.split('~') for edge in node.split('|'))]


def has_zero_input_conv(arch):
    es = edges(arch)
    zero = {0: False}
    for node in (1, 2, 3):
        zero[node] = all(op == 'none' or zero[src] for op, src, target in es if target == node)
    reaches_output = {3}
    for node in (2, 1):
        if any(op != 'none' and src == node and target in reaches_output for op, src, target in es):
            reaches_output.add(node)
    return any(op.startswith('nor_conv') and zero[src] and target in reaches_output for op, src, target in es)


def main():
    results = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    default_data = os.environ.get('GRADSIGN_DATA') or os.path.join(here, '..', '..', 'shared', 'data')
    data = sys.argv[2] if len(sys.argv) > 2 else default_data
    with gzip.open(os.path.join(data, 'nas-bench-201', 'nb201.csv.gz'), 'rt') as f:
        dead = {int(row['index']): row['has_dead_edge'] == 'True' for row in csv.DictReader(f)}

    cells = []
    for path in sorted(glob.glob(os.path.join(results, 'shard-*-of-*.csv.gz'))):
        shard = int(os.path.basename(path).split('-')[1])
        with gzip.open(path, 'rt') as f:
            text = ''.join(line for line in f if not line.startswith('#'))
        reader = csv.DictReader(io.StringIO(text))
        # The accuracy column is the one that is neither a key, a score nor a time (e.g. cifar10valid_split_test).
        target, = (c for c in reader.fieldnames
                   if c not in ('index', 'arch', 'grasp', 'fisher', 'jacob_cov') and not c.startswith('seconds_'))
        for row in reader:
            cells.append(Cell(shard, dead[int(row['index'])], has_zero_input_conv(row['arch']), float(row['fisher']),
                              float(row['jacob_cov']), float(row[target])))

    def rho(selection):
        return spearman([c.fisher for c in selection], [c.accuracy for c in selection])

    print(f'{len(cells):,} cells in {len({c.shard for c in cells})} shards, fisher rho {rho(cells):.3f}')
    print('| cells | n | fisher ρ | median fisher |')
    print('| --- | --- | --- | --- |')
    kinds = [
        ('without a dead edge', lambda c: not c.dead),
        ('dead edge, no zero-input convolution', lambda c: c.dead and not c.zero_input),
        ('dead edge with a zero-input convolution', lambda c: c.dead and c.zero_input),
        ('all but those with a zero-input convolution', lambda c: not c.zero_input),
    ]
    for name, keep in kinds:
        selection = [c for c in cells if keep(c)]
        median = statistics.median(c.fisher for c in selection)
        shown = f'{median:.3f}' if median < 1 else f'{median:.1f}'
        print(f'| {name} | {len(selection):,} | {rho(selection):.3f} | {shown} |'.replace('| -', '| −'))

    scored = [c for c in cells if not math.isnan(c.jacob_cov)]
    print(f'without the {len(cells) - len(scored)} cells where jacob_cov is NaN: fisher rho {rho(scored):.3f}')

    shards = sorted({c.shard for c in cells})
    groups = []
    for g in range(0, len(shards) - len(shards) % 4, 4):
        members = set(shards[g:g + 4])
        selection = [c for c in cells if c.shard in members]
        rest = [c for c in selection if not c.zero_input]
        share = 1 - len(rest) / len(selection)
        groups.append((rho(selection), rho(rest), share))
        print(f'shards {min(members):02d}-{max(members):02d}: {len(selection)} cells, fisher rho {groups[-1][0]:.3f}, '
              f'without zero-input convolutions {groups[-1][1]:.3f}, their share {100 * share:.1f} %')
    if groups:
        print(f'groups of four: rho {min(g[0] for g in groups):.2f} to {max(g[0] for g in groups):.2f}, without '
              f'{min(g[1] for g in groups):.2f} to {max(g[1] for g in groups):.2f}, share '
              f'{100 * min(g[2] for g in groups):.0f} % to {100 * max(g[2] for g in groups):.0f} %')


if __name__ == '__main__':
    main()

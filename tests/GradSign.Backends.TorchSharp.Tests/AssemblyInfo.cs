// LibTorch runs every op on its own OpenMP thread pool (all cores); test classes running concurrently would
// oversubscribe the cores with spinning OpenMP workers, so this assembly runs its tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

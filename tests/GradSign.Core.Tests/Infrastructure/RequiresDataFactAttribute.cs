
namespace GradSign.Tests.Infrastructure;

/// <summary>A fact that is skipped, with the reason shown, when the data folder cannot be found.</summary>
public sealed class RequiresDataFactAttribute : FactAttribute
{
    public RequiresDataFactAttribute()
    {
        if (SharedPaths.Data is null)
        {
            Skip = "Data folder not found: set GRADSIGN_DATA or place the data at ../shared/data beside the repository root.";
        }
    }
}

/// <summary>A theory that is skipped, with the reason shown, when the data folder cannot be found.</summary>
public sealed class RequiresDataTheoryAttribute : TheoryAttribute
{
    public RequiresDataTheoryAttribute()
    {
        if (SharedPaths.Data is null)
        {
            Skip = "Data folder not found: set GRADSIGN_DATA or place the data at ../shared/data beside the repository root.";
        }
    }
}

namespace GradSign.Tests.Infrastructure;

/// <summary>Runs the <c>gradsign</c> CLI in-process with captured output.</summary>
public static class CliRunner
{
    /// <summary>Runs <paramref name="args"/> and returns the exit code, standard output and standard error.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        var code = GradSign.Cli.Cli.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }
}

using System.CommandLine;

namespace GradSign.Cli.Commands;

/// <summary><c>gradsign data</c>: prints the data folder the other commands would use.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var command = new Command("data", "Print the data folder that --data, GRADSIGN_DATA or ../shared/data resolves to") { data };
        command.SetAction(parse =>
        {
            var folder = CliDataFolder.TryResolve(parse.GetValue(data));
            if (folder is null)
            {
                parse.InvocationConfiguration.Error.WriteLine("gradsign: no data folder found (pass --data DIR or set GRADSIGN_DATA)");
                return Cli.Failure;
            }

            parse.InvocationConfiguration.Output.WriteLine(folder);
            return 0;
        });
        return command;
    }
}

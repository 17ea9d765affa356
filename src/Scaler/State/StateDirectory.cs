namespace Bollard.Scaler.State;

/// <summary>The daemon's state directory: private to its user (0700), created on first use.</summary>
public static class StateDirectory
{
    public const string Default = "/var/lib/bollard";

    public const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Options to write a file only its owner can read (0600 when it is created).</summary>
    public static FileStreamOptions PrivateFileOptions(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFile;
        }

        return options;
    }

    /// <exception cref="StateStoreUnavailableException">It cannot be created.</exception>
    public static void Create(string path)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                Directory.CreateDirectory(path, PrivateDirectory);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateStoreUnavailableException($"cannot create the state directory {path}: {e.Message}", e);
        }
    }
}

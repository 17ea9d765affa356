namespace Bollard.Scaler.State;

/// <summary>
/// The daemon's state directory: private to its user (0700, every file in it 0600), created on first use. A directory
/// that already exists is made private too, with everything in it: an earlier install, a copy or a wide umask may have
/// left it or its files open to other users.
/// </summary>
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
                MakePrivate(new DirectoryInfo(path));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateStoreUnavailableException($"cannot create the state directory {path} or make it private to this user: {e.Message}", e);
        }
    }

    /// <summary>Takes the group's and others' permissions off a directory and everything under it (links are left alone).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void MakePrivate(DirectoryInfo directory)
    {
        KeepOwnerOnly(directory);
        foreach (var entry in directory.EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null)
            {
                continue; // changing a link's mode would change its target's, which may be anything
            }

            if (entry is DirectoryInfo subdirectory)
            {
                MakePrivate(subdirectory);
            }
            else
            {
                KeepOwnerOnly(entry);
            }
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void KeepOwnerOnly(FileSystemInfo entry)
    {
        var owner = entry.UnixFileMode & PrivateDirectory;
        if (entry.UnixFileMode != owner)
        {
            entry.UnixFileMode = owner;
        }
    }
}

namespace Bollard.Agent.Tls;

/// <summary>A certificate, key or CA file that cannot be used, named with what is wrong with it.</summary>
public sealed class CertificateFileException : Exception
{
    public CertificateFileException(string file, string problem)
        : base($"{file} {problem}")
    {
        File = file;
        Problem = problem;
    }

    public CertificateFileException()
    {
        File = "";
        Problem = "";
    }

    public CertificateFileException(string message)
        : base(message)
    {
        File = "";
        Problem = message;
    }

    public CertificateFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "";
        Problem = message;
    }

    public string File { get; }

    /// <summary>What is wrong, without the file's name.</summary>
    public string Problem { get; }

    /// <summary>The file's text; a missing or unreadable file is this exception.</summary>
    internal static string Read(string file)
    {
        try
        {
            return System.IO.File.ReadAllText(file);
        }
        catch (FileNotFoundException)
        {
            throw new CertificateFileException(file, "does not exist");
        }
        catch (DirectoryNotFoundException)
        {
            throw new CertificateFileException(file, "does not exist");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CertificateFileException(file, $"cannot be read: {e.Message}");
        }
    }
}

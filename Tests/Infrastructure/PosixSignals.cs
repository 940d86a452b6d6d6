using System.Runtime.InteropServices;

namespace IndustryData.OData.Tests.Infrastructure;

/// <summary>kill(2), for sending SIGTERM: .NET's Process API can only SIGKILL.</summary>
internal static class PosixSignals
{
    public const int SigTerm = 15;

    public static int Kill(int pid, int signal) => NativeMethods.kill(pid, signal);

    private static class NativeMethods
    {
        // Blittable arguments only, so the runtime marshals nothing (and no unsafe code is needed).
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int kill(int pid, int sig);
    }
}

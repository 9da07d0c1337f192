#if canImport(FoundationEssentials)
    import Glibc
#else
    import Foundation
#endif

/// The width of the terminal standard error is on, for the live progress block.
///
/// Asked at each redraw (one ioctl), so a resized window is followed; 80 when standard
/// error is not a terminal or the terminal does not say.
enum TerminalWidth {
    static func ofStandardError() -> Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}

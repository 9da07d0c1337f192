import CEditLine
import DeployKit
import DeployShell

#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// The REPL's line source: libedit editing, a history file, and TAB completion.
///
/// It exists so that everything terminal-specific stays in the executable: DeployShell only
/// sees `LineSource`. The class owns the `EditLine*`, the `History*` and the `strdup`'d prompt
/// and frees them in `deinit`. It is `@MainActor` on purpose: `el_gets` blocks, and must
/// never block one of the cooperative pool's threads (two on this machine). On Linux the main
/// actor runs on the main thread until the first real suspension; after that libdispatch
/// parks the main thread and drains the main queue on an overcommit thread, which is outside
/// the cooperative pool too. libedit's C callbacks (prompt, TAB, Ctrl-C) run inside
/// `el_gets` on that same thread, and find `self` again through `EL_CLIENTDATA` and
/// `Unmanaged`.
@MainActor
final class EditLineSource {
    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let historyFile: String
    private let complete: (_ lineBeforeCursor: String) -> [String]
    private var lineNumber = 0
    private var hasWarnedAboutSaving = false
    private var wasInterrupted = false
    /// The prompt as it should read now (it carries the confirm countdown), re-read every
    /// second while the person is idle at the main prompt; `nil` keeps prompts as given.
    var livePrompt: (@MainActor () -> String)?
    /// Whether the prompt being shown is `livePrompt`'s (not a continuation's `...> `).
    private var promptIsLive = false
    /// The text the prompt callback hands to libedit; owned here, freed on change and in `deinit`.
    ///
    /// `nonisolated(unsafe)` because the C prompt callback cannot prove it runs on the main
    /// actor: it is written only by `nextLine(prompt:)` and read only by libedit during the
    /// `el_gets` call that `nextLine(prompt:)` makes, both on the main thread.
    nonisolated(unsafe) fileprivate var promptBuffer: UnsafeMutablePointer<CChar>?

    /// Starts libedit on the standard streams with emacs keys, and loads the history.
    ///
    /// - Parameters:
    ///   - historyFile: Where history is read from now and written to by `remember(_:)`;
    ///     missing parent directories are created. A file that does not exist yet is normal.
    ///   - complete: The candidate words for the word that ends the text before the cursor
    ///     (the text after its last blank). Candidates are whole words.
    /// - Throws: `InternalError` when libedit cannot allocate an editor or a history.
    init(historyFile: String, complete: @escaping (_ lineBeforeCursor: String) -> [String]) throws {
        // libedit reads and writes multibyte text in the locale's encoding: use the user's
        // (C.UTF-8, en_US.UTF-8, ...), not the C locale a program starts in.
        setlocale(LC_CTYPE, "")
        guard let editLine = ceditline_open(CommandLine.arguments.first ?? "deploysh") else {
            throw InternalError("libedit could not start an editor (el_init failed)")
        }
        guard let history = ceditline_history_open() else {
            ceditline_close(editLine)
            throw InternalError("libedit could not create a history (history_init failed)")
        }
        self.editLine = editLine
        self.history = history
        self.historyFile = historyFile
        self.complete = complete

        ceditline_history_set_size(history, 1000)
        ceditline_history_set_unique(history, 1)
        loadHistory()

        ceditline_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
        ceditline_set_editor(editLine, "emacs")
        ceditline_set_history(editLine, history)
        ceditline_set_prompt(editLine, editLinePrompt)
        // EL_SIGNAL keeps window resizes, Ctrl-Z and fg working while el_gets runs.
        ceditline_set_signal(editLine, 1)
        // While editing, Ctrl-C is a key, not a signal: see InterruptHandler for why.
        // "-intr" keeps it undefined when libedit re-reads the terminal, "intr=" undefines it now.
        ceditline_set_edit_tty(editLine, "-intr")
        ceditline_set_edit_tty(editLine, "intr=")
        ceditline_add_function(editLine, "deploysh-complete", "Complete the word before the cursor", editLineComplete)
        ceditline_bind(editLine, "^I", "deploysh-complete")
        ceditline_add_function(editLine, "deploysh-interrupt", "Discard the line and prompt again", editLineInterrupt)
        ceditline_bind(editLine, "^C", "deploysh-interrupt")
        // Our own reader: it wakes once a second while idle, so a countdown in the prompt ticks.
        ceditline_set_read_char(editLine, editLineReadChar)
    }

    isolated deinit {
        ceditline_close(editLine)
        ceditline_history_close(history)
        free(promptBuffer)
    }

    private func loadHistory() {
        let directory = URL(fileURLWithPath: historyFile).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            warn("cannot create the directory for history file '\(historyFile)': \(error)")
            return
        }
        // H_LOAD returns -1 for a missing file too; only an existing file that fails is worth a word.
        if ceditline_history_load(history, historyFile) == -1, FileManager.default.fileExists(atPath: historyFile) {
            warn("cannot read history file '\(historyFile)'; starting with an empty history")
        }
    }

    private func warn(_ message: String) {
        StandardStream.error.write("warning: \(message)\n".utf8)
    }
}

// MARK: - LineSource

/// Isolated to the main actor: the REPL loop that uses it is `@MainActor` too.
extension EditLineSource: @MainActor LineSource {
    /// Shows `prompt` and reads one line; `nil` at end of input (Ctrl-D on an empty line).
    ///
    /// - Throws: ``LineInterrupted`` when Ctrl-C discards the line (it shows `^C`): the
    ///   interpreter drops any pending continuation and prompts afresh.
    func nextLine(prompt: String) async throws -> SourceLine? {
        setPrompt(prompt)
        promptIsLive = livePrompt.map { $0() == prompt } ?? false
        var count: Int32 = 0
        wasInterrupted = false
        let line = ceditline_gets(editLine, &count)
        if wasInterrupted { throw LineInterrupted() }
        guard let line else {
            // count 0 is the end of input; -1 is a read error (EIO when the terminal went
            // away), which ends input too rather than spinning on it. libedit leaves the
            // cursor after the prompt, so end that line for whatever prints next.
            StandardStream.output.write("\n".utf8)
            return nil
        }
        var text = String(cString: line)
        if text.last?.isNewline == true { text.removeLast() }
        lineNumber += 1
        return SourceLine(text: text, file: "<stdin>", line: lineNumber)
    }

    private func setPrompt(_ prompt: String) {
        free(promptBuffer)
        promptBuffer = strdup(prompt)
    }

    /// Adds a command to the history and rewrites the history file.
    func remember(_ command: String) {
        guard !command.allSatisfy(\.isWhitespace) else { return }
        ceditline_history_enter(history, command)
        if ceditline_history_save(history, historyFile) == -1, !hasWarnedAboutSaving {
            hasWarnedAboutSaving = true
            warn("cannot write history file '\(historyFile)'; history will not be kept")
        }
    }
}

// MARK: - Completion

extension EditLineSource {
    /// Completes the word before the cursor; returns a libedit `CC_` code.
    fileprivate func completeWord() -> UInt8 {
        let info = ceditline_line(editLine).pointee
        let bytes = UnsafeRawBufferPointer(start: info.buffer, count: info.cursor - info.buffer)
        let before = String(decoding: bytes, as: UTF8.self)
        let wordStart = before.lastIndex(where: { $0 == " " || $0 == "\t" }).map { before.index(after: $0) }
        let word = before[(wordStart ?? before.startIndex)...]
        var seen = Set<String>()
        let candidates = complete(before).filter { $0.hasPrefix(word) && seen.insert($0).inserted }
        guard let first = candidates.first else { return UInt8(CC_ERROR) }
        if candidates.count == 1 {
            // A directory stays open for the next name; any other word is done.
            return insert(String(first.dropFirst(word.count)) + (first.hasSuffix("/") ? "" : " "))
        }
        let common = candidates.dropFirst().reduce(first) { String(zip($0, $1).prefix { $0 == $1 }.map(\.0)) }
        if common.count > word.count {
            return insert(String(common.dropFirst(word.count)))
        }
        let width = Int(ceditline_columns(editLine))
        StandardStream.output.write(("\n" + Self.columns(candidates, width: width)).utf8)
        return UInt8(CC_REDISPLAY)
    }

    /// Ctrl-C at the prompt: ends `el_gets` with the line marked as discarded.
    fileprivate func interruptLine() -> UInt8 {
        let info = ceditline_line(editLine).pointee
        // Step the terminal's cursor over the rest of the line (it is already shown) so "^C"
        // lands after it, like a shell's; libedit does not redraw on CC_NEWLINE.
        let rest = UnsafeRawBufferPointer(start: info.cursor, count: info.lastchar - info.cursor)
        StandardStream.output.write(Array(rest) + Array("^C\n".utf8))
        wasInterrupted = true
        return UInt8(CC_NEWLINE)
    }

    /// Reads one character for libedit (EL_GETCFN), decoding UTF-8; returns 1, 0 at end of
    /// input, -1 on error.
    ///
    /// While nothing is typed it wakes once a second and, when the live prompt changed (the
    /// confirm countdown), redraws it with EL_REFRESH, as libedit's own reader does after
    /// SIGCONT. The redraw happens here, inside `el_gets`, on the thread that owns libedit.
    fileprivate func readCharacter(into character: UnsafeMutablePointer<wchar_t>) -> Int32 {
        var first: UInt8 = 0
        while true {
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, promptIsLive ? 1000 : -1)
            if ready == 0 || (ready == -1 && errno == EINTR) {
                refreshLivePrompt()
                continue
            }
            let count = read(STDIN_FILENO, &first, 1)
            if count == 1 { break }
            if count == -1 && errno == EINTR { continue }
            return count == 0 ? 0 : -1
        }
        // Decoded in the locale's encoding, as libedit's own reader does (it encodes the line
        // back with the same locale); a byte that does not decode is taken as it is.
        var bytes = [CChar(bitPattern: first)]
        while true {
            var state = mbstate_t()
            var wide: wchar_t = 0
            let used = bytes.withUnsafeBufferPointer { mbrtowc(&wide, $0.baseAddress, $0.count, &state) }
            if used >= 0 {
                character.pointee = wide
                return 1
            }
            var next: UInt8 = 0
            guard used == -2, bytes.count < 8, read(STDIN_FILENO, &next, 1) == 1 else {
                character.pointee = wchar_t(first)
                return 1
            }
            bytes.append(CChar(bitPattern: next))
        }
    }

    private func refreshLivePrompt() {
        guard promptIsLive, let livePrompt else { return }
        let prompt = livePrompt()
        guard let promptBuffer, String(cString: promptBuffer) != prompt else { return }
        // EL_REFRESH redraws from where libedit believes the prompt starts, but leaves the
        // terminal's cursor where it is: take it back to the prompt's first row and clear below.
        let info = ceditline_line(editLine).pointee
        let typed = String(
            decoding: UnsafeRawBufferPointer(start: info.buffer, count: info.cursor - info.buffer),
            as: UTF8.self
        )
        let columns = max(1, Int(ceditline_columns(editLine)))
        let rowsAbove = (String(cString: promptBuffer).unicodeScalars.count + typed.unicodeScalars.count) / columns
        StandardStream.output.write(((rowsAbove > 0 ? "\u{1B}[\(rowsAbove)A" : "") + "\r\u{1B}[J").utf8)
        setPrompt(prompt)
        ceditline_refresh(editLine)
    }

    private func insert(_ text: String) -> UInt8 {
        guard !text.isEmpty else { return UInt8(CC_NORM) }
        return ceditline_insertstr(editLine, text) == -1 ? UInt8(CC_ERROR) : UInt8(CC_REFRESH)
    }

    /// Lays out words column by column, like a shell's completion list; every line ends in a newline.
    private static func columns(_ words: [String], width: Int) -> String {
        let cell = (words.map(\.count).max() ?? 0) + 2
        let columnCount = max(1, (width > 0 ? width : 80) / cell)
        let rowCount = (words.count + columnCount - 1) / columnCount
        var text = ""
        for row in 0..<rowCount {
            var line = ""
            for column in 0..<columnCount where column * rowCount + row < words.count {
                let word = words[column * rowCount + row]
                line += word + String(repeating: " ", count: cell - word.count)
            }
            while line.last == " " { line.removeLast() }
            text += line + "\n"
        }
        return text
    }
}

// MARK: - C callbacks

/// EL_PROMPT: the current prompt buffer of the source that owns `editLine`.
private func editLinePrompt(_ editLine: OpaquePointer) -> UnsafeMutablePointer<CChar>? {
    guard let owner = ceditline_get_clientdata(editLine) else { return nil }
    return Unmanaged<EditLineSource>.fromOpaque(owner).takeUnretainedValue().promptBuffer
}

/// EL_ADDFN "deploysh-interrupt", bound to Ctrl-C.
private func editLineInterrupt(_ editLine: OpaquePointer, _ key: Int32) -> UInt8 {
    guard let owner = ceditline_get_clientdata(editLine) else { return UInt8(CC_ERROR) }
    let source = Unmanaged<EditLineSource>.fromOpaque(owner).takeUnretainedValue()
    // libedit calls this from inside el_gets, which nextLine(prompt:) runs on the main actor.
    return MainActor.assumeIsolated { source.interruptLine() }
}

/// EL_GETCFN: reads the next character for the source that owns `editLine`.
private func editLineReadChar(_ editLine: OpaquePointer, _ character: UnsafeMutablePointer<wchar_t>) -> Int32 {
    guard let owner = ceditline_get_clientdata(editLine) else { return -1 }
    let source = Unmanaged<EditLineSource>.fromOpaque(owner).takeUnretainedValue()
    // libedit calls this from inside el_gets, which nextLine(prompt:) runs on the main actor;
    // the pointer is libedit's, used on this thread only.
    nonisolated(unsafe) let character = character
    return MainActor.assumeIsolated { source.readCharacter(into: character) }
}

/// EL_ADDFN "deploysh-complete", bound to TAB.
private func editLineComplete(_ editLine: OpaquePointer, _ key: Int32) -> UInt8 {
    guard let owner = ceditline_get_clientdata(editLine) else { return UInt8(CC_ERROR) }
    let source = Unmanaged<EditLineSource>.fromOpaque(owner).takeUnretainedValue()
    // libedit calls this from inside el_gets, which nextLine(prompt:) runs on the main actor.
    return MainActor.assumeIsolated { source.completeWord() }
}

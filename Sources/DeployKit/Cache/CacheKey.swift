#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// The key that signs what a deploy uploads to a binary cache, and its public half for the nodes.
///
/// A person names a Nix secret key file (`--cache-key`, `set cacheKey`); without one, deploysh
/// makes one once (`nix key generate-secret`), keeps it 0600 in its state directory and says
/// which public key the nodes must trust. A file that is not a Nix secret key is refused
/// before anything is uploaded.
package struct CacheKey: Sendable, Hashable {
    /// The secret key file, as Nix's `secret-key` store parameter takes it.
    package var secretKeyFile: String
    /// `NAME:BASE64` of the public key.
    package var publicKey: String
    /// Whether deploysh made the key during this deploy (its public key is then news).
    package var isNew: Bool

    package init(secretKeyFile: String, publicKey: String, isNew: Bool = false) {
        self.secretKeyFile = secretKeyFile
        self.publicKey = publicKey
        self.isNew = isNew
    }

    /// Where deploysh keeps the key it made, under its state directory.
    package static func defaultFile(stateDirectory: String) -> String {
        stateDirectory + "/cache-key.sec"
    }

    /// What is wrong with a secret key's text (`NAME:BASE64` of 64 bytes), or `nil`.
    package static func secretKeyProblem(_ text: String) -> String? {
        keyProblem(text, bytes: 64, kind: "secret")
    }

    /// What is wrong with a public key's text (`NAME:BASE64` of 32 bytes), or `nil`.
    package static func publicKeyProblem(_ text: String) -> String? {
        keyProblem(text, bytes: 32, kind: "public")
    }

    private static func keyProblem(_ text: String, bytes: Int, kind: String) -> String? {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else {
            return "is not a Nix \(kind) key (expected NAME:BASE64, as `nix key` writes it)"
        }
        let encoded = parts[1]
        let alphabet = encoded.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+/=".contains($0)) }
        guard alphabet, encoded.count == (bytes + 2) / 3 * 4 else {
            return "is not a Nix \(kind) key (its key part is not \(bytes) bytes in base64)"
        }
        return nil
    }

    /// Reads `path` and checks that it holds a Nix secret key.
    ///
    /// - Returns: the key's text (one line).
    /// - Throws: ``CacheError/badKeyFile(path:problem:)``.
    package static func readSecretKey(at path: String) throws(CacheError) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .badKeyFile(path: path, problem: "cannot be read")
        }
        let key = trimmed(text)
        if let problem = secretKeyProblem(key) { throw .badKeyFile(path: path, problem: problem) }
        return key
    }

    /// The key of a deploy: `file`'s when given, else deploysh's own in `stateDirectory`
    /// (made now when missing).
    ///
    /// - Throws: ``CacheError`` (a bad key file, no state directory, a failed `nix key`).
    package static func resolve(
        file: String?,
        stateDirectory: String?,
        runner: any CommandRunner
    ) async throws -> CacheKey {
        var isNew = false
        let path: String
        if let file {
            path = file
        } else {
            guard let stateDirectory else { throw CacheError.noKey }
            path = defaultFile(stateDirectory: stateDirectory)
            if !FileManager.default.fileExists(atPath: path) {
                try await generate(at: path, runner: runner)
                isNew = true
            }
        }
        let secret = try readSecretKey(at: path)
        let result = try await runner.run(
            Invocation("nix", NixCommand.featureFlags + ["key", "convert-secret-to-public"], standardInput: secret)
        )
        guard result.succeeded, let publicKey = result.standardOutput.split(whereSeparator: \.isNewline).first,
            publicKeyProblem(String(publicKey)) == nil
        else {
            throw CacheError.keyCommandFailed(
                CommandFailure(result, summary: "cannot derive the public key of \(path)")
            )
        }
        return CacheKey(secretKeyFile: path, publicKey: String(publicKey), isNew: isNew)
    }

    /// Makes a new secret key at `path` (mode 0600, its directory 0700).
    private static func generate(at path: String, runner: any CommandRunner) async throws {
        let name = "deploysh-\(hostName())-1"
        let result = try await runner.run(
            Invocation("nix", NixCommand.featureFlags + ["key", "generate-secret", "--key-name", name])
        )
        let key = trimmed(result.standardOutput)
        guard result.succeeded, secretKeyProblem(key) == nil else {
            throw CacheError.keyCommandFailed(CommandFailure(result, summary: "cannot make a cache key"))
        }
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(
                atPath: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        }
        let staged = path + ".new"
        guard
            FileManager.default.createFile(
                atPath: staged,
                contents: Data((key + "\n").utf8),
                attributes: [.posixPermissions: 0o600]
            ), rename(staged, path) == 0
        else {
            throw CacheError.badKeyFile(path: path, problem: "cannot be written")
        }
    }

    /// `text` without blanks and line breaks around it.
    private static func trimmed(_ text: String) -> String {
        String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }

    /// This machine's host name, as a key name part (letters, digits, `-`, `.`).
    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "deployer" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let safe = name.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
        return safe.isEmpty ? "deployer" : safe
    }
}

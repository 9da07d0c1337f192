#if canImport(FoundationEssentials)
    import FoundationEssentials
    import Glibc
#else
    import Foundation
#endif

/// Evaluates the store paths of selected profiles, and of no others, in one `nix eval`.
///
/// Unselected profiles are never touched, so a broken profile elsewhere in the flake does
/// not stop a deploy of a working one.
package struct ProfileEvaluator: Sendable {
    package var evaluator: FlakeEvaluator
    /// A private directory for the selection file of large selections (`nil`: the temporary directory).
    package var scratchDirectory: String?

    package init(evaluator: FlakeEvaluator, scratchDirectory: String? = nil) {
        self.evaluator = evaluator
        self.scratchDirectory = scratchDirectory
    }

    /// Evaluates `profiles` of `flake` with one `nix eval --apply`.
    ///
    /// - Throws: ``CommandFailure`` naming the profile whose `path` failed to evaluate
    ///   (found by evaluating each of up to 16 profiles on its own after a failure).
    package func evaluate(_ profiles: [ResolvedProfile], flake: String) async throws -> [DeployTarget] {
        guard !profiles.isEmpty else { return [] }
        do {
            return try await evaluateAll(profiles, flake: flake)
        } catch let failure as CommandFailure where profiles.count > 1 && profiles.count <= 16 {
            for profile in profiles {
                do {
                    _ = try await evaluateAll([profile], flake: flake)
                } catch var single as CommandFailure {
                    single.summary = "cannot evaluate the path of profile '\(profile.ref)'"
                    single.hint = "Fix the profile's `path`, or select other targets (`select`)."
                    throw single
                }
            }
            throw failure
        }
    }

    /// Writes the selection file into the scratch directory; returns its path.
    private func writeSelection(_ refs: [ProfileRef]) throws -> String {
        let directory = scratchDirectory ?? (ProcessEnvironment.value("TMPDIR") ?? "/tmp")
        if !FileManager.default.fileExists(atPath: directory) {
            try FileManager.default.createDirectory(
                atPath: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        }
        let file = directory + "/selection-\(UUID().uuidString).json"
        // open(2) with O_EXCL and mode 0600, then plain writes: a private file created in one
        // system call, without `Data.write(to:)`'s temporary file and rename.
        let descriptor = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SelectionFileError(path: file, code: errno) }
        defer { close(descriptor) }
        let bytes = PlanExpression.selectionJSON(for: refs)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            }
            if written > 0 {
                offset += written
            } else if written == -1 && errno == EINTR {
                continue
            } else {
                throw SelectionFileError(path: file, code: errno)
            }
        }
        return file
    }

    private func evaluateAll(_ profiles: [ResolvedProfile], flake: String) async throws -> [DeployTarget] {
        let refs = profiles.map(\.ref)
        let evaluation: Evaluation
        do {
            let inline = PlanExpression.mayFitInline(refs) ? PlanExpression.applyFunction(for: refs) : nil
            if let inline, inline.utf8.count <= PlanExpression.inlineLimit {
                evaluation = try await evaluator.evaluate(flake: flake, apply: inline)
            } else {
                // Too long for one argument: the selection goes through a file (read with --impure).
                let file = try writeSelection(refs)
                defer { try? FileManager.default.removeItem(atPath: file) }
                evaluation = try await evaluator.evaluate(
                    flake: flake,
                    apply: PlanExpression.applyFunction(readingSelectionFrom: file),
                    impure: true
                )
            }
        } catch var failure as CommandFailure {
            if profiles.count == 1 {
                failure.summary = "cannot evaluate the path of profile '\(refs[0])'"
                failure.hint = "Fix the profile's `path`, or select other targets (`select`)."
            } else {
                failure.summary = "cannot evaluate the paths of the selected profiles"
            }
            throw failure
        }
        guard case .array(let entries) = evaluation.value, entries.count == profiles.count else {
            throw InternalError("the plan expression returned an unexpected value")
        }
        return try zip(profiles, entries).map { profile, entry in
            guard case .object(let fields) = entry, case .string(let outPath)? = fields["outputPath"] else {
                throw InternalError("the plan expression returned an entry without outPath")
            }
            guard StorePathRule.isTopLevelStorePath(outPath) else {
                throw ProfilePathError(ref: profile.ref, value: outPath)
            }
            var derivation: String?
            if case .string(let drv)? = fields["drvPath"] { derivation = drv }
            return DeployTarget(resolved: profile, storePath: outPath, derivationPath: derivation)
        }
    }
}

/// The selection file of a large `plan` could not be written.
struct SelectionFileError: Error, CustomStringConvertible {
    var path: String
    var code: Int32

    var description: String {
        "cannot write the selection file \(path): \(String(cString: strerror(code))); "
            + "check that the runtime directory is writable and not full"
    }
}

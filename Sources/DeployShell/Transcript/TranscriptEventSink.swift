import DeployKit

/// Tees the engine's step events: each one goes to the transcript, then to the console.
///
/// It exists so that the transcript sees exactly the events a person sees, from every
/// write-side command, without the engine knowing transcripts exist.
package struct TranscriptEventSink: EventSink {
    package var base: any EventSink
    package var transcript: Transcript

    package init(base: any EventSink, transcript: Transcript) {
        self.base = base
        self.transcript = transcript
    }

    package func emit(_ event: DeployEvent) {
        transcript.append(Self.line(event))
        base.emit(event)
    }

    /// The transcript line of `event`: kind, target, node, profile, step and message.
    static func line(_ event: DeployEvent) -> TranscriptLine {
        var line = TranscriptLine(.event, time: event.time)
        line.kind = event.kind.rawValue
        line.target = event.target
        line.node = event.node
        line.profile = event.profile
        line.step = event.step.rawValue
        line.message = event.message.isEmpty ? nil : event.message
        return line
    }
}

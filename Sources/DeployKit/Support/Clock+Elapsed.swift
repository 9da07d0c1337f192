extension Duration {
    /// The duration in seconds, for reports and timings.
    package var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

extension ContinuousClock.Instant {
    /// Whole seconds from now until this instant, never negative (a confirmation deadline).
    package var wholeSecondsLeft: Int {
        max(0, Int((self - .now).seconds.rounded()))
    }
}

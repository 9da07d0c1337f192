/// Fixed-point text for durations and timings ("%.2f"), without Foundation's `String(format:)`.
///
/// It exists so deploysh can link FoundationEssentials only (no ICU, a third of the binary).
package enum DecimalText {
    /// `value` rounded to `digits` decimals, for example `fixed(0.1234, digits: 2)` is `0.12`.
    package static func fixed(_ value: Double, digits: Int) -> String {
        let digits = max(0, min(digits, 9))
        var scale = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * Double(scale)).rounded()
        guard scaled.isFinite, scaled < 1e17 else { return "\(value)" }
        let whole = Int(scaled)
        let sign = value < 0 && whole != 0 ? "-" : ""
        guard digits > 0 else { return sign + String(whole) }
        let fraction = String(whole % scale)
        return sign + String(whole / scale) + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}

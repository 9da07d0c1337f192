#if canImport(Glibc)
    import Glibc
#endif

/// The deployer's side of `tcp` and plain `http` checks: a TCP connect and an HTTP/1.0 GET over
/// POSIX sockets, no shell and no child process.
///
/// Sockets are non-blocking and polled with a zero timeout between short sleeps, so a probe
/// never blocks one of the (two, on this machine) cooperative threads, and Task cancellation
/// ends it at once. Every probe is bounded by its `timeout`. `https` is not spoken here: the
/// checker hands it to `curl` through the one runner.
package enum HealthProbe {
    /// What one attempt saw.
    package struct Outcome: Sendable, Hashable {
        package var isHealthy: Bool
        /// The status line, the error, or what failed to match (raw; the caller shortens it).
        package var detail: String
    }

    /// Connects to `host:port` within `timeout` seconds.
    package static func tcp(host: String, port: Int, timeout: Double) async -> Outcome {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        switch await connect(host: host, port: port, deadline: deadline) {
        case .success(let socket):
            close(socket)
            return Outcome(isHealthy: true, detail: "connected to \(host):\(port)")
        case .failure(let message):
            return Outcome(isHealthy: false, detail: message)
        }
    }

    /// GETs `url` (http only) and matches the status and body as `check` says.
    package static func http(_ url: HealthURL, check: HealthCheck, timeout: Double) async -> Outcome {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        let socket: Int32
        switch await connect(host: url.host, port: url.port, deadline: deadline) {
        case .success(let opened): socket = opened
        case .failure(let message): return Outcome(isHealthy: false, detail: message)
        }
        defer { close(socket) }
        var request = "GET \(url.path) HTTP/1.0\r\nHost: \(url.host)\r\nUser-Agent: deploysh\r\nConnection: close\r\n"
        for header in check.headers where !header.name.contains(where: \.isNewline) {
            request += "\(header.name): \(header.value.filter { !$0.isNewline })\r\n"
        }
        request += "\r\n"
        guard await send(Array(request.utf8), on: socket, deadline: deadline) else {
            return Outcome(isHealthy: false, detail: "no answer from \(url.text) within \(seconds(timeout)) s")
        }
        guard let response = await receive(on: socket, deadline: deadline) else {
            return Outcome(isHealthy: false, detail: "no answer from \(url.text) within \(seconds(timeout)) s")
        }
        return match(response, check: check, url: url)
    }

    /// Judges a raw HTTP response: the status (2xx, or `expectStatus`) and `expectBody`.
    package static func match(_ response: [UInt8], check: HealthCheck, url: HealthURL) -> Outcome {
        let text = String(decoding: response, as: UTF8.self)
        let statusLine = text.prefix { $0 != "\r" && $0 != "\n" }
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            return Outcome(isHealthy: false, detail: "not an HTTP answer from \(url.text): \(statusLine)")
        }
        let body = text.firstRange(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        let statusOK = check.expectStatus.isEmpty ? (200...299).contains(status) : check.expectStatus.contains(status)
        guard statusOK else {
            return Outcome(isHealthy: false, detail: "HTTP \(status): \(body)")
        }
        if let expected = check.expectBody, !body.contains(expected) {
            return Outcome(
                isHealthy: false,
                detail: "HTTP \(status), body lacks \(DisplayText.quoted(expected)): \(body)"
            )
        }
        return Outcome(isHealthy: true, detail: "HTTP \(status)")
    }

    private enum Connection {
        case success(Int32)
        case failure(String)
    }

    private static func seconds(_ value: Double) -> String {
        DecimalText.fixed(value, digits: value.rounded() == value ? 0 : 1)
    }

    /// A connected non-blocking socket to `host:port`, trying each address in turn.
    private static func connect(host: String, port: Int, deadline: ContinuousClock.Instant) async -> Connection {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            return .failure("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(first) }
        var lastError = "no address for \(host)"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { continue }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            let result = Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen)
            if result == 0 { return .success(fd) }
            guard errno == EINPROGRESS else {
                lastError = "connect to \(host):\(port) failed: \(String(cString: strerror(errno)))"
                close(fd)
                continue
            }
            switch await wait(fd, for: Int16(POLLOUT), deadline: deadline) {
            case true:
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                if error == 0 { return .success(fd) }
                lastError = "connect to \(host):\(port) failed: \(String(cString: strerror(error)))"
            case false:
                lastError = "connect to \(host):\(port) timed out"
            }
            close(fd)
            if ContinuousClock.now >= deadline || Task.isCancelled { break }
        }
        return .failure(lastError)
    }

    /// Waits until `fd` is ready for `events` (or has failed); `false` at the deadline or on cancellation.
    private static func wait(_ fd: Int32, for events: Int16, deadline: ContinuousClock.Instant) async -> Bool {
        var delay = 1
        while ContinuousClock.now < deadline, !Task.isCancelled {
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, 0)
            if ready > 0 { return true }
            if ready < 0, errno != EINTR { return true }  // the next call reports the error
            try? await Task.sleep(for: .milliseconds(delay))
            delay = min(delay * 2, 20)
        }
        return false
    }

    private static func send(_ bytes: [UInt8], on fd: Int32, deadline: ContinuousClock.Instant) async -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
            } else if sent < 0, errno == EAGAIN || errno == EINTR {
                guard await wait(fd, for: Int16(POLLOUT), deadline: deadline) else { return false }
            } else {
                return false
            }
        }
        return true
    }

    /// Everything until the peer closes, at most 64 KiB; `nil` at the deadline.
    private static func receive(on fd: Int32, deadline: ContinuousClock.Instant) async -> [UInt8]? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while data.count < 65536 {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                data += buffer[..<count]
            } else if count == 0 {
                return data
            } else if errno == EAGAIN || errno == EINTR {
                guard await wait(fd, for: Int16(POLLIN), deadline: deadline) else { return nil }
            } else {
                return data.isEmpty ? nil : data
            }
        }
        return data
    }
}

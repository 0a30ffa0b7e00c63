import CCurl
import Foundation
import Synchronization

/// The only outbound HTTP/SMTP client: one curl multi handle driven by a
/// dedicated thread (never the cooperative pool), many transfers in flight,
/// connections kept alive and reused, bridged to async/await.
public final class CurlTransport: Sendable {
    public struct Policy: Sendable {
        /// Refuse any host that is not 127.0.0.0/8, ::1 or localhost.
        public var loopbackOnly: Bool
        /// Cap on simultaneous connections per host (0 = unlimited).
        public var maxConnectionsPerHost: Int

        public init(loopbackOnly: Bool = true, maxConnectionsPerHost: Int = 0) {
            self.loopbackOnly = loopbackOnly
            self.maxConnectionsPerHost = maxConnectionsPerHost
        }
    }

    private enum Job: Sendable {
        case http(OutboundRequest, @Sendable (Result<OutboundResponse, TransportError>) -> Void)
        case smtp(SMTPRequest, @Sendable (Result<SMTPResponse, TransportError>) -> Void)
    }

    private struct Shared {
        var pending: [Job] = []
        var stopping = false
        var inFlight = 0
    }

    private let shared = Mutex(Shared())
    private let multi: MultiHandle
    public let policy: Policy

    public init(policy: Policy = Policy()) {
        _ = CurlRuntime.ensureInitialised()
        self.policy = policy
        multi = MultiHandle(maxConnectionsPerHost: policy.maxConnectionsPerHost)
        let thread = Thread { [self] in self.loop() }
        thread.name = "tidings-curl"
        thread.start()
    }

    /// Stops the loop after the transfers in flight finish; new requests fail.
    public func shutdown() {
        shared.withLock { $0.stopping = true }
        multi.wakeup()
    }

    public var inFlight: Int { shared.withLock { $0.inFlight } }

    public func send(_ request: OutboundRequest) async throws(TransportError) -> OutboundResponse {
        if let refusal = refuse(request.url) { throw refusal }
        let result: Result<OutboundResponse, TransportError> = await withCheckedContinuation { continuation in
            enqueue(.http(request) { continuation.resume(returning: $0) })
        }
        return try result.get()
    }

    public func send(_ request: SMTPRequest) async throws(TransportError) -> SMTPResponse {
        if let refusal = refuse(request.url) { throw refusal }
        let result: Result<SMTPResponse, TransportError> = await withCheckedContinuation { continuation in
            enqueue(.smtp(request) { continuation.resume(returning: $0) })
        }
        return try result.get()
    }

    /// Polls `url` until it answers 200, for servers just started (providers do
    /// not always retry a callback that found nobody listening). True when it answered.
    @discardableResult
    public func waitUntilAnswering(_ url: String, attempts: Int = 100) async -> Bool {
        for _ in 0..<attempts {
            if (try? await send(OutboundRequest(url: url, timeoutMs: 300)))?.status == 200 { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    private func enqueue(_ job: Job) {
        let accepted = shared.withLock { state -> Bool in
            guard !state.stopping else { return false }
            state.pending.append(job)
            return true
        }
        guard accepted else {
            let error = TransportError(kind: .other, curlCode: -1, message: "transport is shutting down", replyCode: nil)
            switch job {
            case .http(_, let done): done(.failure(error))
            case .smtp(_, let done): done(.failure(error))
            }
            return
        }
        multi.wakeup()
    }

    private func refuse(_ url: String) -> TransportError? {
        guard policy.loopbackOnly else { return nil }
        guard let host = URLComponents(string: url)?.host?.lowercased() else {
            return TransportError(kind: .refusedByPolicy, curlCode: -1, message: "not a URL: \(url)", replyCode: nil)
        }
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if bare == "localhost" || bare == "::1" || bare.hasPrefix("127.") { return nil }
        return TransportError(
            kind: .refusedByPolicy, curlCode: -1, message: "outbound traffic is limited to loopback; \(host) refused", replyCode: nil)
    }

    /// The transport thread: add new transfers, drive curl, finish completed ones.
    private func loop() {
        var idle: [EasyHandle] = []
        var active: [UnsafeMutableRawPointer: EasyHandle] = [:]
        while true {
            let (jobs, stopping) = shared.withLock { state -> ([Job], Bool) in
                let jobs = state.pending
                state.pending.removeAll(keepingCapacity: true)
                state.inFlight += jobs.count
                return (jobs, state.stopping)
            }
            for job in jobs {
                guard let handle = idle.popLast() ?? EasyHandle() else {
                    fail(job, TransportError(kind: .other, curlCode: -1, message: "curl_easy_init failed", replyCode: nil))
                    continue
                }
                switch job {
                case .http(let request, let done):
                    handle.configure(request)
                    handle.completion = { result in
                        done(result.map { if case .http(let response) = $0 { response } else { OutboundResponse(status: 0, headers: [], body: []) } })
                    }
                case .smtp(let request, let done):
                    handle.configure(request)
                    handle.completion = { result in
                        done(result.map { if case .smtp(let response) = $0 { response } else { SMTPResponse(code: 0) } })
                    }
                }
                active[handle.raw] = handle
                multi.add(handle)
            }
            if stopping && active.isEmpty { break }
            multi.perform()
            for (easy, code) in multi.completed() {
                guard let handle = active.removeValue(forKey: easy) else { continue }
                multi.remove(handle)
                let completion = handle.completion
                let outcome = handle.outcome(code: code)
                handle.reset()
                idle.append(handle)
                shared.withLock { $0.inFlight -= 1 }
                completion?(outcome)
            }
            multi.poll(timeoutMs: active.isEmpty ? 1000 : 100)
        }
    }

    private func fail(_ job: Job, _ error: TransportError) {
        shared.withLock { $0.inFlight -= 1 }
        switch job {
        case .http(_, let done): done(.failure(error))
        case .smtp(_, let done): done(.failure(error))
        }
    }
}

/// Owns the CURLM handle. `wakeup` is the only call made from other threads
/// (curl_multi_wakeup is documented as thread-safe).
final class MultiHandle: @unchecked Sendable {
    private let raw: UnsafeMutableRawPointer

    init(maxConnectionsPerHost: Int) {
        raw = curl_multi_init()
        if maxConnectionsPerHost > 0 { _ = tidings_multi_setopt_long(raw, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost) }
        _ = tidings_multi_setopt_long(raw, CURLMOPT_MAXCONNECTS, 512)
    }

    deinit { curl_multi_cleanup(raw) }

    func wakeup() { curl_multi_wakeup(raw) }

    func add(_ handle: EasyHandle) { curl_multi_add_handle(raw, handle.raw) }

    func remove(_ handle: EasyHandle) { curl_multi_remove_handle(raw, handle.raw) }

    func perform() {
        var running: Int32 = 0
        curl_multi_perform(raw, &running)
    }

    func poll(timeoutMs: Int32) {
        var ready: Int32 = 0
        curl_multi_poll(raw, nil, 0, timeoutMs, &ready)
    }

    func completed() -> [(UnsafeMutableRawPointer, CURLcode)] {
        var done: [(UnsafeMutableRawPointer, CURLcode)] = []
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(raw, &remaining) {
            if tidings_msg_kind(message) == CURLMSG_DONE, let easy = tidings_msg_easy(message) {
                done.append((easy, tidings_msg_result(message)))
            }
        }
        return done
    }
}

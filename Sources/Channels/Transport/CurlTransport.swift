import CCurl
import DequeModule
import Foundation
import Synchronization

/// The only outbound HTTP/SMTP client: one curl multi handle driven by a
/// dedicated thread (never the cooperative pool), many transfers in flight,
/// connections kept alive and reused, bridged to async/await.
public final class CurlTransport: Sendable {
    public struct Policy: Sendable {
        /// Hosts besides loopback (127.0.0.0/8, ::1, localhost, always allowed)
        /// that transfers may go to: the configured gateways' hosts and
        /// `transport.allow` (see `TransportSettings`). Anything else is
        /// refused before a connection is made, so no template, payload or
        /// webhook can steer the transport elsewhere.
        public var allowedHosts: Set<String>
        /// A CA bundle per host (PEM file) for providers whose certificate a
        /// private CA signs; other hosts use the system's. Peer and host name
        /// are always verified.
        public var caFiles: [String: String]
        /// Cap on simultaneous connections per host (0 = unlimited). Transfers
        /// beyond it wait in the transport's own per-host queue, not inside
        /// curl: curl 7.88's remove-handle walks its pending list, which made
        /// thousands of queued transfers quadratic.
        public var maxConnectionsPerHost: Int

        public init(allowedHosts: Set<String> = [], caFiles: [String: String] = [:], maxConnectionsPerHost: Int = 0) {
            self.allowedHosts = Set(allowedHosts.map(Self.normalized))
            self.caFiles = Dictionary(caFiles.map { (Self.normalized($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
            self.maxConnectionsPerHost = maxConnectionsPerHost
        }

        /// Loopback only: tests, benchmarks and the simulator.
        public static let loopbackOnly = Policy()

        /// Lowercased, without IPv6 brackets or a trailing dot.
        static func normalized(_ host: String) -> String {
            var host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            if host.hasSuffix(".") { host.removeLast() }
            return host
        }

        public static func isLoopback(_ host: String) -> Bool {
            let bare = normalized(host)
            return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.")
        }

        /// Whether transfers may go to `host`.
        public func allows(_ host: String) -> Bool {
            Self.isLoopback(host) || allowedHosts.contains(Self.normalized(host))
        }
    }

    private enum Work: Sendable {
        case http(OutboundRequest, @Sendable (Result<OutboundResponse, TransportError>) -> Void)
        case smtp(SMTPRequest, @Sendable (Result<SMTPResponse, TransportError>) -> Void)
    }

    private struct Job: Sendable {
        /// Names the transfer for a cut; taken from `nextId`, never reused.
        var id: UInt64
        /// Where the transfer goes: its host (and port) is the unit of the connection cap.
        var destination: Destination
        var work: Work
    }

    private struct Shared {
        var pending: [Job] = []
        /// Jobs whose awaiting task was cancelled, for the curl thread to cut.
        var cuts: [Range<UInt64>] = []
        var stopping = false
        var inFlight = 0
    }

    private let shared = Mutex(Shared())
    private let nextId = Atomic<UInt64>(0)
    private let destinations = Mutex([String: Destination]())
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

    /// One request. If the awaiting task is cancelled, throws `.cancelledUnsent`
    /// while the request still waits in the queue, `.cancelled` once it is under way.
    public func send(_ request: OutboundRequest) async throws(TransportError) -> OutboundResponse {
        let destination = try destination(request.url)
        return try await perform(destination) { done in .http(request, done) }.get()
    }

    /// Many requests with one hand-off to the curl thread. `each(index, result)`
    /// reports each as soon as its transfer finishes, and the call returns once all
    /// are reported. `each` runs on the curl thread (a request refused before it is
    /// queued: on the caller, before `send` returns), one call at a time per batch;
    /// it must be cheap and must not block, since no transfer moves while it runs.
    /// If the awaiting task is cancelled, requests still queued are reported as
    /// `.cancelledUnsent` (nothing went out) and transfers under way are cut and
    /// reported as `.cancelled` (the request may have gone out).
    public func send(
        batch requests: [OutboundRequest],
        each: @escaping @Sendable (Int, Result<OutboundResponse, TransportError>) -> Void
    ) async {
        guard !requests.isEmpty else { return }
        let ids = reserveIds(requests.count)
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let countdown = Countdown(requests.count) { continuation.resume() }
                var jobs: [Job] = []
                jobs.reserveCapacity(requests.count)
                for (index, request) in requests.enumerated() {
                    let done: @Sendable (Result<OutboundResponse, TransportError>) -> Void = { result in
                        each(index, result)
                        countdown.tick()
                    }
                    do throws(TransportError) {
                        jobs.append(Job(
                            id: ids.lowerBound + UInt64(index), destination: try destination(request.url),
                            work: .http(request, done)))
                    } catch {
                        done(.failure(error))
                    }
                }
                enqueue(jobs)
            }
        } onCancel: {
            cut(ids)
        }
    }

    /// `send(batch:each:)`'s results in the order of `requests`.
    public func send(batch requests: [OutboundRequest]) async -> [Result<OutboundResponse, TransportError>] {
        let results = OrderedResults<Result<OutboundResponse, TransportError>>(count: requests.count)
        await send(batch: requests) { index, result in results.record(result, at: index) }
        return results.all
    }

    /// One email; cancellation as for `send(_ request: OutboundRequest)`.
    public func send(_ request: SMTPRequest) async throws(TransportError) -> SMTPResponse {
        let destination = try destination(request.url)
        return try await perform(destination) { done in .smtp(request, done) }.get()
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

    /// One transfer, cut if the awaiting task is cancelled.
    private func perform<Response: Sendable>(
        _ destination: Destination, _ work: (@escaping @Sendable (Result<Response, TransportError>) -> Void) -> Work
    ) async -> Result<Response, TransportError> {
        let ids = reserveIds(1)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                enqueue([Job(id: ids.lowerBound, destination: destination, work: work { continuation.resume(returning: $0) })])
            }
        } onCancel: {
            cut(ids)
        }
    }

    private func reserveIds(_ count: Int) -> Range<UInt64> {
        let (old, new) = nextId.add(UInt64(count), ordering: .relaxed)
        return old..<new
    }

    private func enqueue(_ jobs: [Job]) {
        guard !jobs.isEmpty else { return }
        // Wake the curl thread only when the queue was empty: otherwise a wakeup is already on its way.
        let outcome = shared.withLock { state -> (refusal: TransportError?, wake: Bool) in
            guard !state.stopping else { return (Self.shuttingDown, false) }
            // A task's cancelled flag is set before its handler runs, and the handler's
            // `cut` needs this lock: a task not cancelled here queues its cut behind these jobs.
            guard !Task.isCancelled else { return (Self.cutUnsent, false) }
            let wasEmpty = state.pending.isEmpty
            state.pending.append(contentsOf: jobs)
            return (nil, wasEmpty)
        }
        if let refusal = outcome.refusal {
            for job in jobs { finish(job, .failure(refusal), counted: false) }
        } else if outcome.wake {
            multi.wakeup()
        }
    }

    /// Has the curl thread cut `ids`; ids already finished (or never queued) are ignored.
    private func cut(_ ids: Range<UInt64>) {
        shared.withLock { $0.cuts.append(ids) }
        multi.wakeup()
    }

    private static let shuttingDown = TransportError(
        kind: .other, curlCode: -1, message: "transport is shutting down", replyCode: nil)
    private static let cutUnsent = TransportError(
        kind: .cancelledUnsent, curlCode: -1, message: "cancelled before it was sent", replyCode: nil)
    private static let cutInFlight = TransportError(
        kind: .cancelled, curlCode: -1, message: "cancelled while in flight", replyCode: nil)

    /// A transfer's destination as the policy admitted it.
    struct Destination: Sendable {
        /// "host" or "host:port": the unit of the connection cap.
        var key: String
        /// The CA bundle the policy names for this host, if any.
        var caFile: String?
    }

    /// Where `url` goes, or why the policy refuses it; remembered per
    /// "scheme://authority" since a gateway sends every request to the same few.
    private func destination(_ url: String) throws(TransportError) -> Destination {
        let utf8 = url.utf8
        var slashes = 0
        let end = utf8.firstIndex { byte in
            if byte == UInt8(ascii: "/") { slashes += 1 }
            return slashes == 3 || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#")
        } ?? utf8.endIndex
        let origin = String(url[..<end])
        if let known = destinations.withLock({ $0[origin] }) { return known }
        let destination = try parseDestination(origin)
        destinations.withLock { known in
            if known.count > 1024 { known.removeAll() }
            known[origin] = destination
        }
        return destination
    }

    /// The host (normalised) and port of `url` as curl itself parses it, with
    /// its URL API: the config's allow-list and the transport's check use this
    /// one parser, since two parsers that disagree about a URL would let one
    /// check a host and the other connect to another.
    public static func hostAndPort(of url: String) -> (host: String, port: String?)? {
        guard let parsed = curl_url() else { return nil }
        defer { curl_url_cleanup(parsed) }
        func part(_ which: CURLUPart) -> String? {
            var value: UnsafeMutablePointer<CChar>?
            guard curl_url_get(parsed, which, &value, 0) == CURLUE_OK, let value else { return nil }
            defer { curl_free(value) }
            return String(cString: value)
        }
        guard curl_url_set(parsed, CURLUPART_URL, url, 0) == CURLUE_OK, let host = part(CURLUPART_HOST), !host.isEmpty
        else { return nil }
        return (Policy.normalized(host), part(CURLUPART_PORT))
    }

    /// `url`'s destination, refused unless the policy allows its host.
    private func parseDestination(_ url: String) throws(TransportError) -> Destination {
        guard let (host, port) = Self.hostAndPort(of: url) else {
            throw TransportError(kind: .refusedByPolicy, curlCode: -1, message: "not a URL: \(url)", replyCode: nil)
        }
        guard policy.allows(host) else {
            let message = "\(host) is neither a configured gateway's host nor in transport.allow; refused"
            throw TransportError(kind: .refusedByPolicy, curlCode: -1, message: message, replyCode: nil)
        }
        let name = host.contains(":") ? "[\(host)]" : host
        return Destination(key: port.map { "\(name):\($0)" } ?? name, caFile: policy.caFiles[host])
    }

    /// Per-host admission: at most `maxConnectionsPerHost` transfers of a host
    /// inside curl at once; the rest wait here in arrival order.
    private struct Admission {
        let limit: Int
        var waiting: [String: Deque<Job>] = [:]
        var running: [String: Int] = [:]

        mutating func offer(_ job: Job) -> Job? {
            guard limit > 0 else { return job }
            if running[job.destination.key, default: 0] < limit {
                running[job.destination.key, default: 0] += 1
                return job
            }
            waiting[job.destination.key, default: []].append(job)
            return nil
        }

        /// A transfer to `host` finished; the next one waiting for it, if any.
        mutating func finished(host: String) -> Job? {
            guard limit > 0 else { return nil }
            if let next = waiting[host]?.popFirst() { return next }
            running[host, default: 1] -= 1
            return nil
        }

        /// Takes the waiting jobs among `ids` out of the queue (they hold no slot).
        mutating func withdraw(_ ids: Set<UInt64>) -> [Job] {
            var withdrawn: [Job] = []
            for (host, queue) in waiting where queue.contains(where: { ids.contains($0.id) }) {
                withdrawn += queue.filter { ids.contains($0.id) }
                waiting[host] = Deque(queue.filter { !ids.contains($0.id) })
            }
            return withdrawn
        }
    }

    /// The transport thread: add new transfers, drive curl, finish completed or cut ones.
    private func loop() {
        var idle: [EasyHandle] = []
        var active: [UnsafeMutableRawPointer: (handle: EasyHandle, job: Job)] = [:]
        var admission = Admission(limit: policy.maxConnectionsPerHost)

        func start(_ job: Job) {
            guard let handle = idle.popLast() ?? EasyHandle() else {
                finish(job, .failure(TransportError(kind: .other, curlCode: -1, message: "curl_easy_init failed", replyCode: nil)))
                if let next = admission.finished(host: job.destination.key) { start(next) }
                return
            }
            switch job.work {
            case .http(let request, _): handle.configure(request)
            case .smtp(let request, _): handle.configure(request)
            }
            if let caFile = job.destination.caFile { handle.useCAFile(caFile) }
            active[handle.raw] = (handle, job)
            multi.add(handle)
        }

        /// Takes a finished or cut transfer out of curl and gives its host slot to the next job.
        func retire(_ handle: EasyHandle, _ job: Job, _ outcome: Result<EasyHandle.TransferOutcome, TransportError>) {
            active[handle.raw] = nil
            multi.remove(handle)
            handle.reset()
            idle.append(handle)
            finish(job, outcome)
            if let next = admission.finished(host: job.destination.key) { start(next) }
        }

        while true {
            let (jobs, cuts, stopping) = shared.withLock { state in
                let taken = (state.pending, state.cuts, state.stopping)
                state.pending.removeAll(keepingCapacity: true)
                state.cuts.removeAll()
                state.inFlight += taken.0.count
                return taken
            }
            // Completions first: a transfer that finished before its cut reports its real outcome.
            for (easy, code) in multi.completed() {
                guard let (handle, job) = active[easy] else { continue }
                retire(handle, job, handle.outcome(code: code))
            }
            let cut = Set(cuts.joined())
            if !cut.isEmpty {
                // Waiting ones first, so that a slot freed by a cut never starts a job being cut.
                for job in admission.withdraw(cut) { finish(job, .failure(Self.cutUnsent)) }
                for (handle, job) in active.values.filter({ cut.contains($0.job.id) }) {
                    retire(handle, job, .failure(Self.cutInFlight))
                }
            }
            for job in jobs {
                if cut.contains(job.id) {
                    finish(job, .failure(Self.cutUnsent))
                } else if let admitted = admission.offer(job) {
                    start(admitted)
                }
            }
            if stopping && active.isEmpty { break }
            // Adding a transfer sets curl's timer to 0, so new ones start without waiting.
            multi.run(maxWaitMs: 1000)
        }
    }

    private func finish(
        _ job: Job, _ outcome: Result<EasyHandle.TransferOutcome, TransportError>, counted: Bool = true
    ) {
        if counted { shared.withLock { $0.inFlight -= 1 } }
        switch job.work {
        case .http(_, let done):
            done(outcome.map { if case .http(let response) = $0 { response } else { OutboundResponse(status: 0) } })
        case .smtp(_, let done):
            done(outcome.map { if case .smtp(let response) = $0 { response } else { SMTPResponse(code: 0) } })
        }
    }
}

/// Resumes a batch's caller once its last transfer has been reported.
private final class Countdown: Sendable {
    private let remaining: Atomic<Int>
    private let onZero: @Sendable () -> Void

    init(_ count: Int, onZero: @escaping @Sendable () -> Void) {
        remaining = Atomic(count)
        self.onZero = onZero
    }

    func tick() {
        if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { onZero() }
    }
}

/// Owns the CURLM handle and the epoll set that drives it (curl's socket
/// interface: only transfers whose sockets are ready are visited). `wakeup` is
/// the only call made from other threads (an eventfd write).
final class MultiHandle: @unchecked Sendable {
    private let raw: UnsafeMutableRawPointer
    private let loop: UnsafeMutablePointer<tidings_loop>

    init(maxConnectionsPerHost: Int) {
        raw = curl_multi_init()
        if maxConnectionsPerHost > 0 { _ = tidings_multi_setopt_long(raw, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost) }
        _ = tidings_multi_setopt_long(raw, CURLMOPT_MAXCONNECTS, 512)
        loop = .allocate(capacity: 1)
        loop.initialize(to: tidings_loop(epfd: -1, wakefd: -1, deadline_ms: -1))
        if tidings_loop_init(raw, loop) != 0 { fatalError("cannot create the curl event loop (epoll/eventfd): errno \(errno)") }
    }

    deinit {
        curl_multi_cleanup(raw)
        tidings_loop_close(loop)
        loop.deallocate()
    }

    func wakeup() { tidings_loop_wakeup(loop) }

    func add(_ handle: EasyHandle) { curl_multi_add_handle(raw, handle.raw) }

    func remove(_ handle: EasyHandle) { curl_multi_remove_handle(raw, handle.raw) }

    /// Waits for socket activity, curl's timer or a wakeup, and lets curl act.
    func run(maxWaitMs: Int32) { tidings_loop_run_once(raw, loop, maxWaitMs) }

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

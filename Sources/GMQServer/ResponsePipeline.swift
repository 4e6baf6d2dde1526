import GMQProtocol
import NIOCore
import Synchronization

/// A connection's requests (PROTOCOL.md §1): each runs in a task of its own as soon as it is read, and its response
/// is written after the response before it, so the client gets them in request order. A player's concurrent
/// requests (`Session.Step.isConcurrent`) overlap, up to `window` unanswered at once; every other request starts
/// once everything before it is answered, and the connection reads on only after it is answered. A client that
/// reads no responses is read no further (back-pressure, not buffering).
///
/// Owned by the connection's long-lived reading task, which only reads frames and waits: the handling, the
/// response's write and whatever they allocate happen in the requests' short-lived tasks. A task's allocator keeps
/// the slabs of its deepest moment until the task ends, so what the reading task never does costs an idle
/// connection nothing. Only the last request's task is kept: each waits for its predecessor's write, so the last
/// one's end means every one ended.
struct ResponsePipeline: ~Copyable {
    /// Requests of one connection that may be unanswered at once.
    static let window = 32

    /// What a request's task ended with.
    struct Outcome: Sendable {
        /// The response was written, and the connection goes on.
        var goesOn: Bool
    }

    private var last: Task<Outcome, Never>?
    private let slots = Slots(Self.window)
    private let outbound: NIOAsyncChannelOutboundWriter<Envelope>
    private let session: Session
    private let metrics: ServerMetrics
    init(outbound: NIOAsyncChannelOutboundWriter<Envelope>, session: Session, metrics: ServerMetrics) {
        self.outbound = outbound
        self.session = session
        self.metrics = metrics
    }

    /// Serves `inbound` until the peer leaves, the stream breaks, or a request closes the connection; returns once
    /// every request it started is answered. Rethrows what broke the stream, except a framing error, which is
    /// answered (ERROR on request id 0) before the connection closes.
    mutating func serve(_ inbound: NIOAsyncChannelInboundStream<Frame>) async throws {
        do {
            for try await frame in inbound {
                guard await self.take(frame, readAt: .now) else { break }
            }
            _ = await self.drain()
        } catch let error as FrameError {
            await self.answer(error)
        } catch {
            // The stream broke: what was started still ends (and is not answered) before the session does.
            _ = await self.drain()
            throw error
        }
    }

    /// Takes `frame`, read at `start`: starts its request and returns at once if it may overlap the ones before
    /// it, or once it is answered if not. False when the connection must end: the request asked for it, or the
    /// peer is gone.
    private mutating func take(_ frame: Frame, readAt start: ContinuousClock.Instant) async -> Bool {
        await self.slots.take()
        let (task, concurrent) = self.start(frame, readAt: start)
        guard !concurrent else { return true }
        self.last = nil
        return await task.value.goesOn
    }

    /// Answers a framing error on request id 0, after every response before it; the connection then closes.
    private mutating func answer(_ error: FrameError) async {
        let previous = self.last
        self.last = nil
        let (outbound, session) = (self.outbound, self.session)
        await Task {
            guard await previous?.value.goesOn ?? true else { return }
            let code: ErrorCode = if case .lengthTooLarge = error { .frameTooLarge } else { .malformedFrame }
            try? await outbound.write(Envelope(
                requestID: 0, message: .error(ErrorMessage(code, "\(error); the connection is closed"))))
            session.framingError(error)
        }.value
    }

    /// Waits until every started request is answered. False if the connection cannot go on.
    mutating func drain() async -> Bool {
        guard let last = self.last else { return true }
        self.last = nil
        return await last.value.goesOn
    }

    /// Starts `frame`'s request in a task of its own. Synchronous, in arrival order: the session's state machine
    /// has one thread; and not inlined, so that the request (a `Message` is 280 bytes) never takes room in the
    /// reading task's frame.
    @inline(never)
    private mutating func start(_ frame: Frame, readAt start: ContinuousClock.Instant) -> (Task<Outcome, Never>, Bool) {
        let step = self.session.step(for: frame)
        let concurrent = step.isConcurrent
        let type = frame.type
        let previous = self.last
        let (outbound, session, metrics, slots) = (self.outbound, self.session, self.metrics, self.slots)
        let task = Task {
            defer { slots.give() }
            // A request served alone starts after every earlier one was answered.
            if !concurrent, let previous, await !previous.value.goesOn { return Outcome(goesOn: false) }
            let wasOpen = session.isOpen
            let (response, close) = await session.perform(step)
            metrics.answered(type: type, response: response.message, duration: ContinuousClock.now - start)
            // A failed write or a closing answer before this one: the peer is gone or about to be.
            if concurrent, let previous, await !previous.value.goesOn { return Outcome(goesOn: false) }
            do {
                try await outbound.write(response)
            } catch {
                return Outcome(goesOn: false)
            }
            if !wasOpen, session.isOpen { session.opened() }
            return Outcome(goesOn: !close)
        }
        self.last = task
        return (task, concurrent)
    }

    /// A counting semaphore with one waiter: the connection's reader.
    private final class Slots: Sendable {
        private let state: Mutex<(free: Int, waiter: CheckedContinuation<Void, Never>?)>

        init(_ count: Int) { self.state = Mutex((count, nil)) }

        func take() async {
            if self.state.withLock({ state in
                guard state.free > 0 else { return false }
                state.free -= 1
                return true
            }) { return }
            await withCheckedContinuation { continuation in
                let now = self.state.withLock { state in
                    guard state.free > 0 else {
                        state.waiter = continuation
                        return false
                    }
                    state.free -= 1
                    return true
                }
                if now { continuation.resume() }
            }
        }

        func give() {
            let waiter = self.state.withLock { state in
                guard let waiter = state.waiter else {
                    state.free += 1
                    return nil as CheckedContinuation<Void, Never>?
                }
                state.waiter = nil
                return waiter
            }
            waiter?.resume()
        }
    }
}

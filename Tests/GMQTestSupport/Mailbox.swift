import GMQProtocol
import Synchronization

/// Collects a connection's pushes (notifications, queue changes) so a test can await the next one with a deadline, without sleeping
/// and without ending the stream when a wait times out.
public final class Mailbox<Item: Sendable>: Sendable {
    private struct State {
        var items: [Item] = []
        var waiters: [Int: CheckedContinuation<Item?, Never>] = [:]
        var nextWaiter = 0
        var finished = false
    }

    private let state = Mutex(State())

    public init(_ stream: AsyncStream<Item>) {
        Task { [self] in
            for await push in stream { self.deliver(push) }
            self.finish()
        }
    }

    public struct Timeout: Error, CustomStringConvertible {
        public var description: String { "no push arrived in time" }
    }

    /// The next push, or `Timeout` if none arrives within `timeout`. The default is a minute: a wait for what must
    /// come returns as soon as it comes, and this shared machine has stalled test processes for over 10 s.
    public func next(timeout: Duration = .seconds(60)) async throws -> Item {
        try await withThrowingTaskGroup(of: Item?.self) { group in
            group.addTask { await self.take() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next()!
            group.cancelAll()
            guard let push = first else { throw Timeout() }
            return push
        }
    }

    /// Notifications that arrived and were not taken yet.
    public var queued: [Item] { self.state.withLock { $0.items } }

    private func take() async -> Item? {
        let id = self.state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                self.state.withLock { state in
                    if !state.items.isEmpty {
                        continuation.resume(returning: state.items.removeFirst())
                    } else if state.finished || Task.isCancelled {
                        continuation.resume(returning: nil)
                    } else {
                        state.waiters[id] = continuation
                    }
                }
            }
        } onCancel: {
            self.state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }

    private func deliver(_ push: Item) {
        let waiter: CheckedContinuation<Item?, Never>? = self.state.withLock { state in
            if let key = state.waiters.keys.min() { return state.waiters.removeValue(forKey: key) }
            state.items.append(push)
            return nil
        }
        waiter?.resume(returning: push)
    }

    private func finish() {
        let waiters = self.state.withLock { state in
            state.finished = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }
}

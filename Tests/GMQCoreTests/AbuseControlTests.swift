import Foundation
import GMQCore
import Testing

@Suite struct AbuseControlTests {
    @Test func aBucketAllowsItsBurstThenOneTokenPerInterval() {
        var bucket = TokenBucket(AbuseLimits.Rate(burst: 3, every: 10), now: 0)
        #expect((0..<3).map { _ in bucket.take(at: 0) } == [nil, nil, nil])
        #expect(bucket.take(at: 0) == 10, "empty: ten seconds to the next token")
        #expect(bucket.take(at: 4) == 6)
        #expect(bucket.take(at: 10) == nil, "one token refilled")
        #expect(bucket.take(at: 10) == 10)
        #expect(!bucket.isFull(at: 20) && bucket.isFull(at: 40))
        #expect(bucket.take(at: 1_000) == nil && bucket.take(at: 1_000) == nil && bucket.take(at: 1_000) == nil)
        #expect(bucket.take(at: 1_000) == 10, "refill stops at the burst")
    }

    @Test func fiveRejectionsWithinTheWindowStartACooldown() {
        let limits = AbuseLimits(submissions: nil, replies: nil, rejections: 5, rejectionWindow: 600, cooldown: 300)
        var state = PlayerAbuseState(limits: limits, now: 0)
        for t in [0.0, 100, 200, 300] {
            #expect(state.submit(at: t) == .allowed)
            state.rejected(at: t, limits: limits)
        }
        // The first rejection falls out of the window: still four.
        #expect(state.submit(at: 650) == .allowed)
        state.rejected(at: 650, limits: limits)
        #expect(state.submit(at: 660) == .allowed)
        state.rejected(at: 700, limits: limits)  // 100 falls out too: 200, 300, 650, 700
        #expect(state.submit(at: 705) == .allowed)
        state.rejected(at: 710, limits: limits)  // the fifth within 600 s
        #expect(state.submit(at: 710) == .coolingDown(retryAfter: 300))
        #expect(state.submit(at: 1_009.5) == .coolingDown(retryAfter: 1))
        #expect(state.submit(at: 1_010) == .allowed, "over, and the count starts again")
        state.rejected(at: 1_011, limits: limits)
        #expect(state.submit(at: 1_012) == .allowed)
    }

    @Test func repliesAndSubmissionsHaveBucketsOfTheirOwnAndNoneMeansUnlimited() {
        var state = PlayerAbuseState(limits: .standard, now: 0)
        for _ in 0..<5 { #expect(state.submit(at: 0) == .allowed) }
        #expect(state.submit(at: 0) == .rateLimited(retryAfter: 30))
        for _ in 0..<20 { #expect(state.reply(at: 0) == .allowed) }
        #expect(state.reply(at: 0) == .rateLimited(retryAfter: 6))
        #expect(!state.isIdle(at: 0) && state.isIdle(at: 3_600))
        var free = PlayerAbuseState(limits: .none, now: 0)
        for _ in 0..<1_000 {
            #expect(free.submit(at: 0) == .allowed)
            free.rejected(at: 0, limits: .none)
        }
    }

    @Test func operatorsWriteRatesAndTheCooldownAsFractions() throws {
        #expect(try AbuseLimits.rate("5/30") == AbuseLimits.Rate(burst: 5, every: 30))
        #expect(try AbuseLimits.rate("1/0.5") == AbuseLimits.Rate(burst: 1, every: 0.5))
        #expect(try AbuseLimits.rate("off") == nil)
        for bad in ["5", "5/", "/30", "0/30", "2.5/30", "5/0", "5/-1", "a/b", "5/30/1", ""] {
            #expect(throws: AbuseLimits.ParseError.self, "\(bad)") { try AbuseLimits.rate(bad) }
        }
        var limits = AbuseLimits.standard
        try limits.setCooldown("3/60/120")
        #expect(limits.rejections == 3 && limits.rejectionWindow == 60 && limits.cooldown == 120)
        try limits.setCooldown("off")
        #expect(limits.rejections == 0)
        let error = #expect(throws: AbuseLimits.ParseError.self) { try limits.setCooldown("3/60") }
        #expect(error?.description == "'3/60' is not COUNT/WINDOW/WAIT with a whole count of at least 1, e.g. 5/600/600, or off")
    }
}

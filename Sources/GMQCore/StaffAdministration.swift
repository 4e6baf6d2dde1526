import Foundation

/// Whether a staff account may work now (issue 11 §2): an admin can disable it, and a key may carry an expiry.
public enum StaffStanding: Sendable, Equatable {
    case active
    case disabled(at: Int64)
    case expired(at: Int64)
}

extension StaffAccount {
    /// The account's standing at `now` (ms): disabled wins over expired.
    public func standing(at now: Int64) -> StaffStanding {
        if let disabledAt = self.disabledAt { return .disabled(at: disabledAt) }
        if let expiresAt = self.expiresAt, expiresAt <= now { return .expired(at: expiresAt) }
        return .active
    }
}

/// A change an admin makes to a staff account.
public enum StaffChange: Sendable, Equatable {
    /// The account's keys stop working and its sessions close; its claims go back to the queue.
    case disable
    case enable
    /// A new key replaces the old one, which stops working at once; sessions opened with the old key close and
    /// the account's claims go back to the queue (a key is rotated because it may have leaked).
    case rotateKey(keyHash: String)
    /// Role, categories (empty: all) and key expiry; nil leaves a field as it is.
    case set(role: Role?, categories: [String]?, expiry: Expiry?)

    public enum Expiry: Sendable, Equatable {
        case never
        case at(Int64)

        /// `never`, a duration from `now` (ms) such as `90d`, `12h`, `30m`, or an ISO 8601 time
        /// (`2027-01-31T00:00:00Z`) or date (`2027-01-31`, midnight UTC); nil for anything else.
        public static func parse(_ text: String, now: Int64) -> Expiry? {
            if text.trimmingCharacters(in: .whitespaces).lowercased() == "never" { return .never }
            if let duration = TimeText.duration(text) { return .at(now + duration) }
            return TimeText.instant(text).map(Expiry.at)
        }
    }
}

/// Why a change to a staff account was refused. Nothing was written.
public enum StaffChangeError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(String)
    case alreadyDisabled(String)
    case notDisabled(String)
    /// The change would leave no active admin: nobody could manage accounts any more.
    case lastAdmin(String)
    case expiryInPast(String)
    case notAStaffRole(Role)
    case nothingToChange(String)

    public var description: String {
        switch self {
        case .notFound(let name):
            "there is no staff account named '\(name)'; list them with `staff list`"
        case .alreadyDisabled(let name):
            "\(name) is already disabled; `staff enable \(name)` lets them in again"
        case .notDisabled(let name):
            "\(name) is not disabled; nothing to enable"
        case .lastAdmin(let name):
            "\(name) is the last active admin: with this change nobody could manage accounts; add or enable "
                + "another admin first"
        case .expiryInPast(let name):
            "the expiry for \(name) is not in the future; give a later time, or `never`"
        case .notAStaffRole(let role):
            "'\(role.rawValue)' is not a staff role; use gm, moderator, admin or game"
        case .nothingToChange(let name):
            "no change for \(name): give --role, --categories or --expires"
        }
    }
}

/// What a staff change does, decided in one place for every store (issue 11 §2–3): the account after it, the
/// entry for the staff action log, and whether the account's claims go back to the queue.
public enum StaffAdministration {
    public struct Outcome: Sendable, Equatable {
        public var account: StaffAccount
        public var action: StaffLogAction
        /// What changed, for the log: "role gm → admin; categories all → bug,account".
        public var detail: String
        /// Whether the account's claimed tickets return to the queue in the same transaction.
        public var releasesClaims: Bool
    }

    /// Applies `change` to `account`, given every account (to keep one active admin), at `now` (ms).
    public static func apply(
        _ change: StaffChange, to account: StaffAccount, among accounts: [StaffAccount], at now: Int64
    ) throws(StaffChangeError) -> Outcome {
        var changed = account
        switch change {
        case .disable:
            guard account.disabledAt == nil else { throw .alreadyDisabled(account.name) }
            changed.disabledAt = now
            try self.keepAnAdmin(changed, among: accounts, at: now)
            return Outcome(account: changed, action: .staffDisabled, detail: "disabled", releasesClaims: true)
        case .enable:
            guard account.disabledAt != nil else { throw .notDisabled(account.name) }
            changed.disabledAt = nil
            let detail = account.standing(at: now) == .active || changed.standing(at: now) == .active
                ? "enabled" : "enabled (its key expired; set a new expiry or rotate the key)"
            return Outcome(account: changed, action: .staffEnabled, detail: detail, releasesClaims: false)
        case .rotateKey(let keyHash):
            changed.keyHash = keyHash
            return Outcome(account: changed, action: .keyRotated, detail: "new key issued; the old one stopped working",
                releasesClaims: true)
        case .set(let role, let categories, let expiry):
            var parts: [String] = []
            if let role, role != account.role {
                guard role.isStaff else { throw .notAStaffRole(role) }
                changed.role = role
                parts.append("role \(account.role.rawValue) → \(role.rawValue)")
            }
            if let categories {
                let joined = categories.joined(separator: ",")
                if joined != account.categories {
                    changed.categories = joined
                    parts.append("categories \(Self.describe(account.categories)) → \(Self.describe(joined))")
                }
            }
            if let expiry {
                let value: Int64? = switch expiry {
                case .never: nil
                case .at(let at): at
                }
                if let value, value <= now { throw .expiryInPast(account.name) }
                if value != account.expiresAt {
                    changed.expiresAt = value
                    parts.append("key expiry \(Self.describe(account.expiresAt)) → \(Self.describe(value))")
                }
            }
            guard !parts.isEmpty else { throw .nothingToChange(account.name) }
            try self.keepAnAdmin(changed, among: accounts, at: now)
            return Outcome(
                account: changed, action: .staffChanged, detail: parts.joined(separator: "; "), releasesClaims: false)
        }
    }

    /// Why a claim ended because its holder lost access, for the `lease_expired` event and the player's notice.
    public static func releaseReason(holder: String, because action: StaffLogAction?) -> String {
        let why = switch action {
        case .keyRotated: "\(holder)'s access key was replaced"
        case .staffDisabled: "\(holder) no longer has access"
        default: "\(holder)'s access expired"
        }
        return why + "; the request is back in the queue"
    }

    /// The log entry's detail for a new account.
    public static func added(_ account: StaffAccount) -> String {
        var detail = "role \(account.role.rawValue); categories \(self.describe(account.categories))"
        if let expiresAt = account.expiresAt { detail += "; key expires \(self.describe(expiresAt))" }
        return detail
    }

    private static func keepAnAdmin(_ changed: StaffAccount, among accounts: [StaffAccount], at now: Int64)
        throws(StaffChangeError)
    {
        let before = accounts.contains { $0.id == changed.id && $0.role == .admin && $0.standing(at: now) == .active }
        guard before, changed.role != .admin || changed.standing(at: now) != .active else { return }
        let others = accounts.contains { $0.id != changed.id && $0.role == .admin && $0.standing(at: now) == .active }
        if !others { throw .lastAdmin(changed.name) }
    }

    private static func describe(_ categories: String) -> String { categories.isEmpty ? "all" : categories }

    private static func describe(_ expiry: Int64?) -> String {
        guard let expiry else { return "never" }
        return Date(milliseconds: expiry).formatted(.iso8601)
    }
}

/// Times as people type them on the command line.
public enum TimeText {
    /// `90d`, `12h`, `30m` in milliseconds; nil for anything else.
    public static func duration(_ text: String) -> Int64? {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = text.last, let count = Int64(text.dropLast()), count > 0, count < 100_000 else { return nil }
        let seconds: Int64? = switch unit {
        case "d": 86_400
        case "h": 3_600
        case "m": 60
        default: nil
        }
        return seconds.map { count * $0 * 1_000 }
    }

    /// An ISO 8601 time (`2027-01-31T12:00:00Z`) or date (`2027-01-31`, midnight UTC) in ms; nil otherwise.
    public static func instant(_ text: String) -> Int64? {
        let upper = text.trimmingCharacters(in: .whitespaces).uppercased()
        if let date = try? Date(upper, strategy: .iso8601) { return date.milliseconds }
        if let date = try? Date(upper + "T00:00:00Z", strategy: .iso8601) { return date.milliseconds }
        return nil
    }
}

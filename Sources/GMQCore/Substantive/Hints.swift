import Foundation

/// Player-facing hints, one per reason and language. The client shows them as they are.
public enum Hints {
    public enum Language: Sendable { case english, russian }

    /// Russian for a Russian locale or a text written in Cyrillic; English otherwise. The locale is a hint only:
    /// players mix languages.
    public static func language(locale: String, textIsCyrillic: Bool) -> Language {
        locale.lowercased().hasPrefix("ru") || textIsCyrillic ? .russian : .english
    }

    public static func text(for reason: RejectionReason, in language: Language) -> String {
        (language == .russian ? self.russian : self.english)[reason.rawValue]!
    }

    /// The hint for a text that says nothing about what happened (`no_description`), naming what is missing: about
    /// the one subject its topic words name ("say what happened to your account"), or, when it promised details
    /// instead of giving them, to give them here.
    public static func missing(subject: Subject, several: Bool = false, promised: Bool, in language: Language) -> String {
        let table = language == .russian ? self.russian : self.english
        if promised { return table["promised_details"]! }
        if several { return table["several_subjects"]! }
        return self.subject(subject, in: language) ?? self.text(for: .noDescription, in: language)
    }

    private static func subject(_ subject: Subject, in language: Language) -> String? {
        switch (subject, language) {
        case (.none, _): nil
        case (.account, .english):
            "Say what happened to your account: what you tried, what you saw (the exact message), and since when."
        case (.account, .russian):
            "Напишите, что случилось с аккаунтом: что вы делали, что увидели (точный текст сообщения) и с какого времени."
        case (.item, .english):
            "Say what is wrong with the item: which one, what happened to it, and where or when."
        case (.item, .russian):
            "Напишите, что не так с предметом: какой это предмет, что с ним случилось, где и когда."
        case (.quest, .english):
            "Say what is wrong with the quest: its name, the step you are on, and what does not happen."
        case (.quest, .russian):
            "Напишите, что не так с заданием: его название, на каком вы шаге и что не происходит."
        case (.character, .english):
            "Say what is wrong with your character: where it is, what it cannot do, and since when."
        case (.character, .russian):
            "Напишите, что случилось с персонажем: где он, что не получается и с какого времени."
        case (.ban, .english):
            "Say what the ban or mute is about: when it happened, what message you got, and why you think it is wrong."
        case (.ban, .russian):
            "Напишите, о какой блокировке речь: когда она случилась, какое сообщение вы получили и почему считаете её ошибкой."
        case (.payment, .english):
            "Say what went wrong with the payment: what you bought, when, and the order or transaction number."
        case (.payment, .russian):
            "Напишите, что не так с оплатой: что вы купили, когда, и номер заказа или транзакции."
        case (.exploit, .english):
            "Describe the exploit here, step by step: what you do and what happens. A game master reads it all here."
        case (.exploit, .russian):
            "Опишите уязвимость здесь по шагам: что вы делаете и что происходит. Гейм-мастер прочитает всё здесь."
        }
    }

    /// What a player whose request matched an open incident is told at once (PROTOCOL.md §5.6).
    public static func knownIssue(_ message: String, in language: Language) -> String {
        switch language {
        case .english:
            "This is a known issue and game masters are on it: \(message) You will be told here when it is resolved; "
                + "reply to your request if your case is different."
        case .russian:
            "Это известная проблема, гейм-мастера уже занимаются ею: \(message) Вы получите ответ здесь, когда её "
                + "решат; если у вас другой случай, допишите это в ответе на обращение."
        }
    }

    /// The hint for an advice code such as `add_reference`.
    public static func text(forAdvice advice: String, in language: Language) -> String? {
        (language == .russian ? self.russian : self.english)[advice]
    }

    /// The open-limit hint names the player's open tickets.
    public static func openLimit(_ limit: Int, openTickets: [Int64], in language: Language) -> String {
        let ids = openTickets.map { "#\($0)" }.joined(separator: ", ")
        switch language {
        case .english:
            return "You already have \(limit) open requests (\(ids)). Add to one of them with a reply, or wait until a game master closes one."
        case .russian:
            return "У вас уже \(limit) открытых обращения (\(ids)). Дополните одно из них ответом или дождитесь, пока гейм-мастер закроет одно."
        }
    }

    /// A banned player learns until when and why.
    public static func banned(until: Int64, reason: String, in language: Language) -> String {
        let end = Date(milliseconds: until).formatted(.iso8601)
        return switch language {
        case .english: "A game master has barred you from filing new requests until \(end) (UTC): \(reason). You can still reply to your open requests."
        case .russian: "Гейм-мастер запретил вам подавать новые обращения до \(end) (UTC): \(reason). Отвечать в открытых обращениях можно."
        }
    }

    public static func cooldown(seconds: Int, in language: Language) -> String {
        let minutes = max(1, (seconds + 59) / 60)
        return switch language {
        case .english: "Several of your requests in a row did not say what the problem is. Please wait \(minutes) min (\(seconds) s), then describe what happened, where, and which item, quest or player it concerns."
        case .russian: "Несколько обращений подряд не описывали проблему. Подождите \(minutes) мин (\(seconds) с), затем напишите, что случилось, где и какого предмета, задания или игрока это касается."
        }
    }

    public static func rateLimited(seconds: Int, in language: Language) -> String {
        switch language {
        case .english: "You are sending requests faster than a game master can read them. Wait \(seconds) s, or add to your open request with a reply."
        case .russian: "Вы отправляете обращения быстрее, чем гейм-мастер успевает их читать. Подождите \(seconds) с или дополните открытое обращение ответом."
        }
    }

    private static let english: [String: String] = [
        "too_short": "Please describe your problem in a sentence: what happened, where, and which item, quest or player it concerns.",
        "contact_only": "A game master will answer right here, there is no need to call one. Write what happened, where, and which item, quest or player it concerns.",
        "no_description": "Your request does not say what the problem is yet. Write what happened, where and when, and which item, quest or player it concerns.",
        "gibberish": "We could not read your request. Write in words what happened, where, and which item, quest or player it concerns.",
        "repetition": "Repeating words does not reach a game master sooner. Write once what happened, where, and which item, quest or player it concerns.",
        "missing_player": "Name the player you are reporting (their character name, as exactly as you can) and say what they did, where and when.",
        "open_limit": "You already have the most open requests allowed. Add to one of them with a reply, or wait until a game master closes one.",
        "banned": "A game master has barred you from filing new requests for a while. You can still reply to your open requests.",
        "cooldown": "Several of your requests in a row did not say what the problem is. Please wait a few minutes, then describe what happened.",
        "rate_limited": "You are sending requests faster than a game master can read them. Wait a little, or add to your open request with a reply.",
        "add_reference": "If you have it, add the order or transaction number from your receipt: it lets a game master find the payment at once.",
        "promised_details": "Write the details here rather than promising them: a game master reads only this request. Say what happens, where, and how.",
        "several_subjects": "Say what is wrong, not only with what: which quest, item or character it is, and what happened to it.",
    ]

    private static let russian: [String: String] = [
        "too_short": "Опишите проблему одним-двумя предложениями: что случилось, где и какого предмета, задания или игрока это касается.",
        "contact_only": "Гейм-мастер ответит здесь, звать его не нужно. Напишите, что случилось, где и какого предмета, задания или игрока это касается.",
        "no_description": "В обращении пока не сказано, в чём проблема. Напишите, что случилось, где и когда, какого предмета, задания или игрока это касается.",
        "gibberish": "Не удалось прочитать обращение. Напишите словами, что случилось, где и какого предмета, задания или игрока это касается.",
        "repetition": "Повтор слов не ускорит ответ. Напишите один раз, что случилось, где и какого предмета, задания или игрока это касается.",
        "missing_player": "Укажите ник игрока, на которого жалуетесь (как можно точнее), и что он сделал, где и когда.",
        "open_limit": "У вас уже максимум открытых обращений. Дополните одно из них ответом или дождитесь, пока гейм-мастер закроет одно.",
        "banned": "Гейм-мастер временно запретил вам подавать новые обращения. Отвечать в открытых обращениях можно.",
        "cooldown": "Несколько обращений подряд не описывали проблему. Подождите несколько минут, затем напишите, что случилось.",
        "rate_limited": "Вы отправляете обращения быстрее, чем гейм-мастер успевает их читать. Подождите немного или дополните открытое обращение ответом.",
        "add_reference": "Если есть, добавьте номер заказа или транзакции из чека: так гейм-мастер сразу найдёт платёж.",
        "promised_details": "Напишите подробности здесь, а не обещайте их: гейм-мастер видит только это обращение. Что происходит, где и как.",
        "several_subjects": "Напишите, что именно не так, а не только с чем: какое задание, предмет или персонаж и что с ним случилось.",
    ]
}

/// Player-facing hints, one per rejection reason and language. The client shows them as they are.
enum Hints {
    /// Picks Russian for a Russian locale or a text written in Cyrillic; English otherwise.
    /// The locale is a hint only: players mix languages.
    static func text(for reason: RejectionReason, locale: String, textIsCyrillic: Bool) -> String {
        let russian = locale.lowercased().hasPrefix("ru") || textIsCyrillic
        return (russian ? self.russian : self.english)[reason]!
    }

    private static let english: [RejectionReason: String] = [
        .tooShort: "Please describe your problem in a sentence: what happened, where, and which item, quest or player it concerns.",
        .contactOnly: "A game master will answer right here, there is no need to call one. Write what happened, where, and which item, quest or player it concerns.",
        .noDescription: "Your request does not say what the problem is yet. Write what happened, where and when, and which item, quest or player it concerns.",
        .gibberish: "We could not read your request. Write in words what happened, where, and which item, quest or player it concerns.",
        .repetition: "Repeating words does not reach a game master sooner. Write once what happened, where, and which item, quest or player it concerns.",
    ]

    private static let russian: [RejectionReason: String] = [
        .tooShort: "Опишите проблему одним-двумя предложениями: что случилось, где и какого предмета, задания или игрока это касается.",
        .contactOnly: "Гейм-мастер ответит здесь, звать его не нужно. Напишите, что случилось, где и какого предмета, задания или игрока это касается.",
        .noDescription: "В обращении пока не сказано, в чём проблема. Напишите, что случилось, где и когда, какого предмета, задания или игрока это касается.",
        .gibberish: "Не удалось прочитать обращение. Напишите словами, что случилось, где и какого предмета, задания или игрока это касается.",
        .repetition: "Повтор слов не ускорит ответ. Напишите один раз, что случилось, где и какого предмета, задания или игрока это касается.",
    ]
}

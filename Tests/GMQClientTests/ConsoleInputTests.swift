import GMQClient
import GMQProtocol
import Testing

@Suite struct LineEditingTests {
    static func type(_ text: String, into editing: inout LineEditing) {
        for character in text { _ = editing.feed(.character(character)) }
    }

    @Test func cursorKeysEditInTheMiddleOfTheLine() {
        var editing = LineEditing()
        Self.type("answxr 12", into: &editing)
        for _ in 0..<4 { _ = editing.feed(.left) }
        _ = editing.feed(.backspace)
        Self.type("e", into: &editing)
        #expect(editing.text == "answer 12")
        _ = editing.feed(.home)
        _ = editing.feed(.delete)
        #expect(editing.text == "nswer 12" && editing.cursor == 0)
        _ = editing.feed(.end)
        _ = editing.feed(.killWord)
        #expect(editing.text == "nswer ")
        _ = editing.feed(.killToStart)
        #expect(editing.text.isEmpty)
    }

    @Test func enteredLinesGoToTheHistoryAndUpAndDownRecallThem() {
        var editing = LineEditing()
        Self.type("next", into: &editing)
        #expect(editing.feed(.enter) == .submit("next"))
        Self.type("show 3", into: &editing)
        _ = editing.feed(.enter)
        _ = editing.feed(.enter)  // a blank line is not remembered
        Self.type("show 3", into: &editing)
        _ = editing.feed(.enter)  // nor a repeat
        #expect(editing.history == ["next", "show 3"])
        Self.type("dra", into: &editing)
        _ = editing.feed(.up)
        #expect(editing.text == "show 3")
        _ = editing.feed(.up)
        #expect(editing.text == "next")
        _ = editing.feed(.up)
        #expect(editing.text == "next", "stays on the oldest")
        _ = editing.feed(.down)
        _ = editing.feed(.down)
        #expect(editing.text == "dra", "down past the newest restores the draft")
    }

    @Test func controlCDropsTheLineAndControlDOnAnEmptyLineFinishes() {
        var editing = LineEditing()
        Self.type("close 4 solved", into: &editing)
        #expect(editing.feed(.interrupt) == .cancel && editing.text.isEmpty)
        #expect(editing.feed(.endOfInput) == .finish)
    }
}

@Suite struct KeyDecoderTests {
    @Test func bytesBecomeKeysEvenWhenSplitAcrossReads() {
        var decoder = KeyDecoder()
        #expect(decoder.feed([0x61, 0xC3]) == [.character("a")], "half of é waits for the rest")
        #expect(decoder.feed([0xA9, 0x1B, 0x5B]) == [.character("é")])
        #expect(decoder.feed([0x41, 0x1B, 0x5B, 0x33, 0x7E, 0x0D, 0x7F]) == [.up, .delete, .enter, .backspace])
        #expect(decoder.feed([0x1B, 0x4F, 0x48, 0x01, 0x05, 0x03]) == [.home, .home, .end, .interrupt])
        #expect(decoder.feed(Array("Ж".utf8)) == [.character("Ж")])
    }
}

@Suite struct ConsoleCommandTests {
    @Test(arguments: [
        ("next", ConsoleCommand.next(category: "")),
        ("next payment", .next(category: "payment")),
        ("show 12", .show(12)),
        ("show #12", .show(12)),
        ("show", .show(7)),
        ("answer 12 @unstuck", .answer(12, "@unstuck")),
        ("answer I moved you to the gates.", .answer(7, "I moved you to the gates.")),
        ("ask   Which   side? ", .ask(7, "Which   side?")),
        ("close solved Enjoy!", .close(7, resolution: "solved", text: "Enjoy!")),
        ("close 3 duplicate", .close(3, resolution: "duplicate", text: "")),
        ("transfer 3 bug Map geometry", .transfer(3, category: "bug", text: "Map geometry")),
        ("escalate dev Crash in the AH", .escalate(7, target: .developers, text: "Crash in the AH")),
        ("escalate 9 Needs a restore", .escalate(9, target: .seniorGMs, text: "Needs a restore")),
        ("snooze 2d waits for the hotfix", .snooze(7, seconds: 172_800, text: "waits for the hotfix")),
        ("snooze 9 30m", .snooze(9, seconds: 1_800, text: "")),
        ("snooze off", .snooze(7, seconds: nil, text: "")),
        ("remind 4h call Thrall back", .remind(7, seconds: 14_400, text: "call Thrall back")),
        ("internal player_report Bot farm in the Barrens", .openInternal(category: "player_report", text: "Bot farm in the Barrens")),
        ("link 12", .linkInternal(7, internalID: 12)),
        ("priority high realm", .priority(7, urgency: 3, impact: 3)),
        ("priority 4 critical ALL", .priority(4, urgency: 4, impact: 4)),
        ("shift end", .shiftEnd(to: nil)),
        ("shift end Tharok", .shiftEnd(to: "Tharok")),
        ("link 3 #12", .linkInternal(3, internalID: 12)),
        ("  ", .nothing),
        ("QUIT", .quit),
    ])
    func linesParseIntoCommands(line: String, expected: ConsoleCommand) throws {
        #expect(try ConsoleCommand.parse(line, current: 7) == expected)
    }

    @Test func mistakesSayWhatToTypeInstead() {
        #expect { try ConsoleCommand.parse("answer", current: 7) } throws: { "\($0)".contains("needs an answer or @macro") }
        #expect { try ConsoleCommand.parse("show", current: nil) } throws: { "\($0)".contains("no current ticket") }
        #expect { try ConsoleCommand.parse("close 4", current: nil) } throws: { "\($0)".contains("needs a resolution") }
        #expect { try ConsoleCommand.parse("frobnicate", current: 1) } throws: { "\($0)".contains("type help") }
        #expect { try ConsoleCommand.parse("snooze 3 tomorrow", current: 1) } throws: { "\($0)".contains("such as 2d") }
        #expect { try ConsoleCommand.parse("remind 4h", current: 1) } throws: { "\($0)".contains("the text to be reminded of") }
        #expect { try ConsoleCommand.parse("priority urgent", current: 1) } throws: { "\($0)".contains("needs an urgency") }
        #expect { try ConsoleCommand.parse("shift start", current: 1) } throws: { "\($0)".contains("shift end [GM]") }
        #expect { try ConsoleCommand.parse("link", current: 1) } throws: { "\($0)".contains("internal ticket's id") }
        #expect { try ConsoleCommand.parse("internal bug", current: 1) } throws: { "\($0)".contains("the text of the internal ticket") }
        #expect(DurationArgument.seconds("0d") == nil && DurationArgument.seconds("2x") == nil)
        #expect(DurationArgument.seconds("1w") == 604_800 && DurationArgument.seconds("90s") == 90)
    }
}

import GMQCore
import Testing

/// Urgency × impact (issue 13 §7).
@Suite struct PriorityTests {
    @Test func theMatrixRanksAWholeRealmAboveOnePlayer() {
        let table = Priority.Urgency.allCases.map { urgency in
            Priority.Impact.allCases.map { Priority.matrix(urgency: urgency, impact: $0) }
        }
        #expect(table == [[0, 0, 1, 2], [0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 4]])
        #expect(Priority.noteText(urgency: .high, impact: .realm) == "Priority 3: urgency high × impact realm")
    }
}

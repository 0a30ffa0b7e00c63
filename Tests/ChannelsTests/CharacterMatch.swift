import Foundation

/// How much of an expected text came back from OCR, character by character.
/// Both sides are compared in NFKC without whitespace: OCR cannot tell a
/// full-width colon from a half-width one, nor count spaces.
struct CharacterMatch: CustomStringConvertible {
    let expected: Int
    /// Expected characters found in order (the longest common subsequence).
    let recovered: Int
    /// Insertions, deletions and substitutions from the expected to the read text.
    let edits: Int

    init(expected: String, read: String) {
        let a = Self.normalized(expected), b = Self.normalized(read)
        var common = [Int](repeating: 0, count: b.count + 1)
        var distance = Array(0...b.count)
        for i in a.indices {
            var diagonalCommon = 0, diagonalDistance = distance[0]
            distance[0] = i + 1
            for j in b.indices {
                let (aboveCommon, aboveDistance) = (common[j + 1], distance[j + 1])
                common[j + 1] = a[i] == b[j] ? diagonalCommon + 1 : max(common[j + 1], common[j])
                distance[j + 1] = min(distance[j + 1] + 1, distance[j] + 1, diagonalDistance + (a[i] == b[j] ? 0 : 1))
                (diagonalCommon, diagonalDistance) = (aboveCommon, aboveDistance)
            }
        }
        self.expected = a.count
        self.recovered = common[b.count]
        self.edits = distance[b.count]
    }

    /// Share of the expected characters recovered.
    var recall: Double { expected == 0 ? 1 : Double(recovered) / Double(expected) }
    /// 1 − edit distance / expected length.
    var accuracy: Double { expected == 0 ? 1 : 1 - Double(edits) / Double(expected) }

    var description: String {
        "\(recovered) of \(expected) characters recovered (\(Self.percent(recall))), "
            + "\(edits) edits (1 − edits/length: \(Self.percent(accuracy)))"
    }

    static func normalized(_ text: String) -> [Character] {
        Array(text.precomposedStringWithCompatibilityMapping.filter { !$0.isWhitespace })
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f %%", value * 100) }
}

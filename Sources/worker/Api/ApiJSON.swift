import CoreModel
import Foundation
import HTTPTypes
import Hummingbird

/// How the admin API reads and writes JSON: answers in snake_case with ISO
/// 8601 times; bodies read strictly, a failure naming where it broke.
enum ApiJSON {
    /// Largest request body read (a campaign definition is a few KiB).
    static let maximumBody = 1 << 20

    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        let data =
            (try? encoder.encode(value))
            ?? Data(#"{"error":{"code":"internal","message":"cannot encode the answer"}}"#.utf8)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The body decoded as `T`, whose coding keys are the wire's (snake_case, as in the campaign files).
    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: maximumBody) } catch {
            throw ApiError(
                status: .contentTooLarge, code: "too_large", message: "the body is larger than \(maximumBody) bytes",
                field: "body")
        }
        let data = Data(buffer.readableBytesView)
        guard !data.isEmpty else {
            throw ApiError.invalid("body", "the body is empty: send a JSON object", code: "invalid_json")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw refusal(error, body: data)
        }
    }

    /// A decoding failure as a 400 naming the field (or, for broken JSON, where it broke).
    static func refusal(_ error: DecodingError, body: Data) -> ApiError {
        switch error {
        case .typeMismatch(let type, let context):
            return .invalid(path(context.codingPath), "expected \(describe(type))")
        case .valueNotFound(let type, let context):
            return .invalid(path(context.codingPath), "expected \(describe(type)), found null")
        case .keyNotFound(let key, let context):
            return .invalid(path(context.codingPath + [key]), "missing required key '\(key.stringValue)'")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return .invalid(
                "body", "malformed JSON: \(syntaxProblem(in: body) ?? context.debugDescription)", code: "invalid_json")
        case .dataCorrupted(let context):
            return .invalid(path(context.codingPath), context.debugDescription)
        @unknown default:
            return .invalid("body", "\(error)")
        }
    }

    /// Where a body that is not JSON broke, as line and column: JSONDecoder does not
    /// say, JSONSerialization says the byte ("Invalid value around character 8.").
    static func syntaxProblem(in body: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
            return nil
        } catch {
            let said = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            guard let match = said.firstMatch(of: /around character (\d+)/), let offset = Int(match.1),
                offset <= body.count
            else { return said.hasPrefix("Unexpected end of file") ? "the body ends too early" : said }
            let before = String(decoding: body.prefix(offset), as: UTF8.self)
            let lines = before.split(separator: "\n", omittingEmptySubsequences: false)
            let what = said.replacingOccurrences(of: String(match.0), with: "").trimmingCharacters(in: .whitespaces)
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
            return "line \(lines.count), column \((lines.last?.count ?? 0) + 1): \(what.lowercased())"
        }
    }

    /// `channels[1]`, `schedule.cron`: the key path as the campaign file check writes it.
    static func path(_ codingPath: [any CodingKey]) -> String {
        let names = codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
        let keyPath = ConfigIssue(path: names, message: "").keyPath
        return keyPath.isEmpty ? "body" : keyPath
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Int.Type, is Int64.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "a list"
        default: String(describing: type).hasPrefix("Dictionary") ? "an object" : "\(type)"
        }
    }
}

import CoreModel
import Foundation

/// Why a send failed, classified for the dispatcher.
public enum GatewayError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not taken, try again later (5xx, refused connection); honour `retryAfter` if given.
    case transient(reason: String, retryAfter: Double?)
    /// Sent, but no answer came (timeout, connection dropped): the provider may
    /// hold the message, so only the same gateway may be asked again, with the
    /// same idempotency key — another gateway could deliver it twice.
    case unanswered(reason: String)
    /// The provider asks us to slow down.
    case throttled(reason: String, retryAfter: Double?)
    /// Never going to work for this message.
    case permanent(reason: String)
    /// The address is wrong: fail and flag the member's contact.
    case invalidAddress(reason: String)
    /// Credentials were refused: fail over; a human must fix the config.
    case auth(reason: String)

    public var description: String {
        switch self {
        case .transient(let reason, let after): "transient: \(reason)\(after.map { " (retry after \($0) s)" } ?? "")"
        case .unanswered(let reason): "no answer: \(reason)"
        case .throttled(let reason, let after): "throttled: \(reason)\(after.map { " (retry after \($0) s)" } ?? "")"
        case .permanent(let reason): "permanent: \(reason)"
        case .invalidAddress(let reason): "invalid address: \(reason)"
        case .auth(let reason): "auth: \(reason)"
        }
    }

    /// Classifies a transport failure (no response at all).
    public static func from(_ error: TransportError) -> GatewayError {
        switch error.kind {
        case .refusedByPolicy: .permanent(reason: error.message)
        case .timeout, .dropped: .unanswered(reason: error.description)
        case .connect, .protocolError, .other: .transient(reason: error.description, retryAfter: nil)
        // Nothing went out; a certificate or a missing STARTTLS rarely fixes
        // itself, but retrying later (and failing over now) loses nothing.
        case .tls: .transient(reason: "TLS: \(error.description)", retryAfter: nil)
        case .cancelled: .unanswered(reason: "cut while in flight (the send was cancelled): it may have gone out")
        case .cancelledUnsent: .transient(reason: "cut before it was sent (the send was cancelled)", retryAfter: nil)
        }
    }

    /// Whether the next gateway of the channel may take the message now: only
    /// when this one surely did not (it refused, or could not be reached).
    public var allowsFailover: Bool {
        switch self {
        case .transient, .throttled, .auth: true
        case .unanswered, .permanent, .invalidAddress: false
        }
    }

    /// The fax's PDF, or a permanent failure saying why it cannot be drawn. Not
    /// transient even when the font is missing: that would count against the
    /// gateway's health, and an SMTP gateway may carry email too.
    static func faxPDF(_ document: MessageContent.FaxDocument) throws(GatewayError) -> [UInt8] {
        do {
            return try FaxDocumentPDF.render(document)
        } catch {
            throw .permanent(reason: error.description)
        }
    }

    /// Reads a Retry-After header in seconds (HTTP-date forms are treated as absent).
    public static func retryAfter(_ response: OutboundResponse) -> Double? {
        response.header("Retry-After").flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }
}

import Foundation

/// What a message says, rendered, per channel. Stored as JSON in
/// `messages.payload`; adapters read the parts their channel needs.
public struct MessageContent: Sendable, Codable, Hashable {
    /// SMS text, or the plain-text email body.
    public var text: String?
    public var subject: String?
    public var html: String?
    /// Voice: text to speak (TTS) and/or a recording to play, then an optional keypad question.
    public var voice: Voice?
    /// Fax: a title and lines rendered into a PDF.
    public var fax: FaxDocument?
    /// Email: a document attached as a PDF (a complaint's work-order sheet), drawn as a fax is.
    public var attachment: FaxDocument?
    /// Provider template (Aliyun TemplateCode) and its parameters.
    public var providerTemplate: String?
    public var templateParameters: [String: String]?

    public struct Voice: Sendable, Codable, Hashable {
        public var say: String?
        public var playURL: String?
        public var language: String
        /// Digits the callee may press ("12" = press 1 or 2), with the prompt.
        public var gatherDigits: String?
        public var gatherPrompt: String?

        public init(say: String?, playURL: String? = nil, language: String = "zh-CN", gatherDigits: String? = nil, gatherPrompt: String? = nil) {
            self.say = say
            self.playURL = playURL
            self.language = language
            self.gatherDigits = gatherDigits
            self.gatherPrompt = gatherPrompt
        }
    }

    public struct FaxDocument: Sendable, Codable, Hashable {
        public var title: String
        public var lines: [String]

        public init(title: String, lines: [String]) {
            self.title = title
            self.lines = lines
        }
    }

    public init(
        text: String? = nil, subject: String? = nil, html: String? = nil, voice: Voice? = nil, fax: FaxDocument? = nil,
        providerTemplate: String? = nil, templateParameters: [String: String]? = nil, attachment: FaxDocument? = nil
    ) {
        self.attachment = attachment
        self.text = text
        self.subject = subject
        self.html = html
        self.voice = voice
        self.fax = fax
        self.providerTemplate = providerTemplate
        self.templateParameters = templateParameters
    }

    public func json() -> String {
        String(decoding: (try? Self.encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    public static func decode(_ json: String) -> MessageContent? {
        try? decoder.decode(MessageContent.self, from: Data(json.utf8))
    }

    // Configured once and shared (both are Sendable): one per call showed up when sending thousands a second.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
    private static let decoder = JSONDecoder()
}

import Mustache

/// What a template renders against: the flat values, each looked up as a
/// ``TemplateText`` so the recipient's transforms (`{{yuan(amount)}}`) apply to it.
struct TemplateScope: MustacheParent {
    let values: [String: String]
    let format: RecipientFormat

    func child(named name: String) -> Any? {
        values[name].map { TemplateText(text: $0, format: format) }
    }
}

/// One value while rendering. It has no children of its own: inside
/// `{{#vip}}…{{/vip}}` a name is looked up in the values, never in this struct
/// (swift-mustache would otherwise reflect over its stored properties).
struct TemplateText: MustacheTransformable, MustacheParent, CustomStringConvertible {
    let text: String
    let format: RecipientFormat

    var description: String { text }

    func child(named name: String) -> Any? { nil }

    func transform(_ name: String) -> Any? {
        guard let transform = RecipientFormat.Transform(rawValue: name), let result = format.apply(transform, to: text) else {
            return nil
        }
        return TemplateText(text: result, format: format)
    }
}

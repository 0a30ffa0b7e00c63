import CoreModel

extension AutomationSettings {
    /// Every enabled automation's template, for each of its channels in
    /// `locale`, as `renderer` loads it, by key path `<path>.<automation>.template`:
    /// `tidings config check` refuses a config whose automations could not send.
    public func templateIssues(renderer: any MessageRenderer, locale: String, path: [String]) -> [ConfigIssue] {
        var issues: [ConfigIssue] = []
        for (key, rule) in rules where rule.enabled {
            for channel in rule.channels {
                do { try renderer.check(template: rule.template, channel: channel, locale: locale) } catch {
                    let message =
                        "'\(rule.template)' has no \(channel.rawValue) template for \(locale) (\(error)); "
                        + "add it, or set \(key).enabled: false"
                    issues.append(ConfigIssue(path: path + [key, "template"], message: message))
                }
            }
        }
        // The ticket's escalation call has a template of its own, spoken.
        if branchTicket.enabled {
            do { try renderer.check(template: branchTicket.callTemplate, channel: .voice, locale: locale) } catch {
                let message =
                    "'\(branchTicket.callTemplate)' has no voice template for \(locale) (\(error)); "
                    + "add it, or set branch_ticket.enabled: false"
                issues.append(ConfigIssue(path: path + ["branch_ticket", "call_template"], message: message))
            }
        }
        return issues
    }
}

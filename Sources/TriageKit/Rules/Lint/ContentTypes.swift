/// The documented content types: the words a rule's `type` and `key_type`
/// may use. Types end up in keys, statistics and the priority policy
/// (`policy.yaml` weighs them by name), so a typo such as `profil` would
/// quietly make a type of its own, with its own key space and no weight.
/// A new kind of content is added here, and to the table in docs/rules.md.
enum ContentTypes {
    static let documented: Set<String> = [
        // Media and posts.
        "video", "shorts", "reel", "clip", "live", "story", "stories", "highlight", "spotlight", "photo", "image",
        "gallery", "album", "post", "status", "comment", "answer", "question", "article", "message", "channel_post",
        "group_post", "collection", "playlist", "episode", "show", "track", "artist", "pin", "board", "tv", "embed",
        "event", "space", "list", "feed", "tag",
        // Accounts and places.
        "profile", "user", "user_id", "handle", "custom_url", "legacy_user", "vanity", "channel", "community", "group",
        "subreddit", "server", "company", "blog", "showcase", "site", "site_page", "padlet", "contact", "invite",
        // Documents and files.
        "document", "spreadsheet", "presentation", "drawing", "form", "form_edit", "published", "file", "folder",
        "story_part", "part",
        // Games and shops.
        "game", "item", "bundle",
        // Links that need a redirect to say where they go.
        "short",
    ]

    /// `page` is what the engine calls a URL no rule matched; a rule of that
    /// type would be counted among them.
    static let reserved: Set<String> = ["page"]

    /// Why `type` is not a documented type, with the nearest one; nil when it is.
    static func problem(_ type: String, field: String) -> String? {
        if documented.contains(type) { return nil }
        if reserved.contains(type) {
            return "'\(field): \(type)' is reserved for URLs no rule matched; name what the content is (post, site_page …)"
        }
        let hint = YAMLMapping.nearest(to: type, in: documented.sorted()).map { "; did you mean '\($0)'?" } ?? ""
        return "'\(field): \(type)' is not one of the documented content types\(hint) (a new kind of content is added to the list in ContentTypes.swift and docs/rules.md)"
    }
}

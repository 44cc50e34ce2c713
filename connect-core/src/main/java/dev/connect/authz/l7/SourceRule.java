package dev.connect.authz.l7;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One item of a {@code service-intentions} entry's {@code Sources}: either an L4 source deciding by its
 * {@code Action}, or an L7 source deciding by its {@code Permissions}. An L7 source with a part this version cannot
 * enforce keeps the reason and denies every request.
 */
final class SourceRule {

	private static final Set<String> FIELDS = Set.of("Name", "Peer", "Partition", "Namespace", "SamenessGroup",
			"Action", "Permissions", "Precedence", "Type", "Description", "LegacyID", "LegacyMeta", "LegacyCreateTime",
			"LegacyUpdateTime");

	private final String name;

	private final boolean local;

	private final @Nullable List<HttpPermission> permissions;

	private final String unsupported;

	private SourceRule(String name, boolean local, @Nullable List<HttpPermission> permissions, String unsupported) {
		this.name = name;
		this.local = local;
		this.permissions = permissions;
		this.unsupported = unsupported;
	}

	static SourceRule of(JsonNode node) {
		EntryFields.object(node, "a source");
		String name = EntryFields.text(node, "Name");
		if (name.isEmpty()) {
			throw new MalformedEntryException("a source has no Name");
		}
		boolean local = EntryFields.text(node, "Peer").isEmpty() && EntryFields.text(node, "SamenessGroup").isEmpty()
				&& isDefault(EntryFields.text(node, "Partition")) && isDefault(EntryFields.text(node, "Namespace"));
		JsonNode permissions = EntryFields.array(node, "Permissions");
		if (permissions.isMissingNode() || permissions.isNull() || permissions.isEmpty()) {
			return new SourceRule(name, local, null, "");
		}
		try {
			String unknown = EntryFields.unknownField(node, FIELDS);
			if (!unknown.isEmpty()) {
				throw new UnsupportedRuleException(
						"the source has the field '" + unknown + "', which this version does not enforce");
			}
			List<HttpPermission> compiled = new ArrayList<>();
			for (JsonNode permission : permissions) {
				compiled.add(HttpPermission.of(permission, compiled.size() + 1));
			}
			return new SourceRule(name, local, List.copyOf(compiled), "");
		}
		catch (UnsupportedRuleException ex) {
			return new SourceRule(name, local, List.of(), ex.reason());
		}
	}

	private static boolean isDefault(String tenancy) {
		return tenancy.isEmpty() || tenancy.equals("default");
	}

	/** Whether this source names the local caller {@code service}: exactly (2), as the wildcard (1), or not (0). */
	int match(String service) {
		if (!this.local) {
			return 0;
		}
		if (this.name.equals("*")) {
			return 1;
		}
		return this.name.equalsIgnoreCase(service) ? 2 : 0;
	}

	String name() {
		return this.name;
	}

	boolean isL7() {
		return this.permissions != null;
	}

	/** The reason this L7 source denies everything, empty when it is enforced. */
	String unsupported() {
		return this.unsupported;
	}

	List<HttpPermission> permissions() {
		return (this.permissions != null) ? this.permissions : List.of();
	}

}

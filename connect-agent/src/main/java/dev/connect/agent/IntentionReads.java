package dev.connect.agent;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.connect.api.Intention;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code intention get} and {@code intention match}, as consul's {@code command/intention/get} and {@code match}
 * print them: a two-column table ({@code Source:}, {@code Destination:}, {@code Action:}, {@code ID:},
 * {@code Description:}, {@code Meta[k]:}, {@code Created At:}, then the permissions as JSON), and one
 * {@code SRC => DST (action)} line per match.
 */
final class IntentionReads {

	/** Go's {@code time.RFC850}. */
	private static final DateTimeFormatter RFC850 = DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss zzz",
			Locale.ENGLISH);

	private static final JsonMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.enable(SerializationFeature.INDENT_OUTPUT)
		.build();

	private IntentionReads() {
	}

	static int get(AgentConnection agent, List<String> args, PrintStream out) {
		Intention intention = switch (args.size()) {
			case 1 -> read(agent, "/v1/connect/intentions/" + encode(args.get(0)),
					"Intention not found with ID \"" + args.get(0) + "\"");
			case 2 -> read(agent, "/v1/connect/intentions/exact?source=" + encode(args.get(0)) + "&destination="
					+ encode(args.get(1)), "Intention not found with source \"" + args.get(0) + "\" and destination \""
							+ args.get(1) + "\"");
			default -> throw new DevAgentMain.UsageException("command requires exactly 1 or 2 arguments");
		};
		List<String[]> rows = new ArrayList<>();
		rows.add(new String[] { "Source:", intention.sourceName() });
		rows.add(new String[] { "Destination:", intention.destinationName() });
		addIfPresent(rows, "Action:", intention.action());
		addIfPresent(rows, "ID:", intention.id());
		addIfPresent(rows, "Description:", intention.description());
		new TreeMap<>((intention.meta() != null) ? intention.meta() : Map.<String, String>of())
			.forEach((key, value) -> rows.add(new String[] { "Meta[" + key + "]:", value }));
		Instant created = (intention.createdAt() != null) ? intention.createdAt() : Instant.parse("0001-01-01T00:00:00Z");
		rows.add(new String[] { "Created At:", RFC850.format(created.atZone(ZoneId.systemDefault())) });
		int width = rows.stream().mapToInt((row) -> row[0].length()).max().orElse(0);
		rows.forEach((row) -> out.println(String.format("%-" + width + "s  %s", row[0], row[1])));
		if (intention.permissions() != null && !intention.permissions().isEmpty()) {
			out.println("Permissions:\n" + JSON.writeValueAsString(intention.permissions()).replace("    ", "  "));
		}
		return 0;
	}

	static int match(AgentConnection agent, boolean bySource, boolean byDestination, List<String> args,
			PrintStream out) {
		if (bySource == byDestination) {
			throw new DevAgentMain.CommandException("Exactly one of -source or -destination must be specified");
		}
		if (args.size() != 1) {
			throw new DevAgentMain.UsageException("command requires exactly one argument: NAME");
		}
		String name = args.get(0);
		String by = bySource ? "source" : "destination";
		HttpResponse<String> response = agent.send("GET", "/v1/connect/intentions/match?by=" + by + "&name="
				+ encode(name), null);
		String error = AgentConnection.unexpected(response);
		if (error != null) {
			throw new DevAgentMain.CommandException("Error matching the intention: " + error);
		}
		Map<String, List<Intention>> matches = JSON.readValue(response.body(),
				new TypeReference<Map<String, List<Intention>>>() {
				});
		for (Intention intention : matches.getOrDefault(name, List.of())) {
			String action = (intention.action() != null) ? intention.action() : "";
			out.println(intention.sourceName() + " => " + intention.destinationName() + " (" + action + ")");
		}
		return 0;
	}

	private static Intention read(AgentConnection agent, String path, String notFound) {
		HttpResponse<String> response = agent.send("GET", path, null);
		if (response.statusCode() == 404) {
			throw new DevAgentMain.UsageException(notFound);
		}
		String error = AgentConnection.unexpected(response);
		if (error != null) {
			throw new DevAgentMain.CommandException("Error reading the intention: " + error);
		}
		return JSON.readValue(response.body(), Intention.class);
	}

	private static void addIfPresent(List<String[]> rows, String label, @Nullable String value) {
		if (value != null && !value.isEmpty()) {
			rows.add(new String[] { label, value });
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}

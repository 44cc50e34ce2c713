package dev.connect.agent.index;

/**
 * A part of the agent's state with its own modify index. A write bumps the index of exactly the topics it
 * changes; a blocking query waits on the topics its answer is computed from.
 */
public enum Topic {

	/** CA roots and the active root. */
	CA_ROOTS,

	/** CA configuration. */
	CA_CONFIG,

	/** Leaf certificates issued by the agent (keyed by service name). */
	LEAF,

	/** Intentions: the view onto {@code service-intentions} config entries. */
	INTENTIONS,

	/** Config entries (keyed by kind). */
	CONFIG,

	/** Services, checks and their health. */
	CATALOG

}

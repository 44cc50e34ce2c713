package dev.connect.agent.index;

/**
 * An answer and the modify index it reflects, which becomes {@code X-Consul-Index}.
 *
 * @param <T> the answer type
 * @param index the index, at least 1 once through {@link BlockingQuery}
 * @param value the answer
 */
public record Indexed<T>(long index, T value) {

}

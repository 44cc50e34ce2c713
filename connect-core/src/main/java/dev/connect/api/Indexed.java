package dev.connect.api;

/**
 * An answer and the modify index it reflects, which becomes {@code X-Consul-Index}.
 *
 * @param <T> the answer type
 * @param index the index ({@code X-Consul-Index}), at least 1
 * @param value the answer
 */
public record Indexed<T>(long index, T value) {

}

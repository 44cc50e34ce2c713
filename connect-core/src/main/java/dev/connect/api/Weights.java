package dev.connect.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * DNS SRV weights of a service instance; Consul's default is {@code {"Passing":1,"Warning":1}}.
 *
 * @param passing weight while every check passes
 * @param warning weight while a check warns
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Weights(@JsonProperty("Passing") int passing, @JsonProperty("Warning") int warning) {

	/** Consul's default weights. */
	public static final Weights DEFAULT = new Weights(1, 1);

}

package dev.connect.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One trusted CA root, as in {@code Roots} of {@code GET /v1/agent/connect/ca/roots} (Consul's {@code CARoot}).
 * {@code SigningCert} and {@code SigningKey} are never sent.
 *
 * @param id SHA-1 of the root's DER as colon-hex
 * @param name display name
 * @param serialNumber the root certificate's serial
 * @param signingKeyId colon-hex key id of the certificate that signs leaves under this root
 * @param externalTrustDomain the cluster id the root was created under
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param rootCert the root certificate PEM, newline-terminated
 * @param intermediateCerts PEM certificates leaves present after themselves, or {@code null} when none
 * @param active whether this root signs new leaves
 * @param privateKeyType {@code ec} or {@code rsa}
 * @param privateKeyBits the key size
 * @param createIndex the index at which the root was created
 * @param modifyIndex the index at which the root last changed
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CaRoot(@JsonProperty("ID") String id, @JsonProperty("Name") String name,
		@JsonProperty("SerialNumber") long serialNumber, @JsonProperty("SigningKeyID") String signingKeyId,
		@JsonProperty("ExternalTrustDomain") String externalTrustDomain, @JsonProperty("NotBefore") Instant notBefore,
		@JsonProperty("NotAfter") Instant notAfter, @JsonProperty("RootCert") String rootCert,
		@JsonProperty("IntermediateCerts") @Nullable List<String> intermediateCerts,
		@JsonProperty("Active") boolean active, @JsonProperty("PrivateKeyType") String privateKeyType,
		@JsonProperty("PrivateKeyBits") int privateKeyBits, @JsonProperty("CreateIndex") long createIndex,
		@JsonProperty("ModifyIndex") long modifyIndex) {

}

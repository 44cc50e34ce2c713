package dev.connect.api;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer of {@code GET /v1/agent/connect/ca/leaf/<service>} (Consul's {@code IssuedCert}, CE fields). Its
 * {@link #toString()} never shows the private key.
 *
 * @param serialNumber the leaf's serial as lowercase colon-hex
 * @param certPem the leaf PEM followed by every intermediate PEM
 * @param privateKeyPem the leaf's SEC1 {@code EC PRIVATE KEY} PEM
 * @param service the service name
 * @param serviceUri the SPIFFE ID in the leaf's URI SAN
 * @param validAfter start of validity
 * @param validBefore end of validity
 * @param createIndex the index at which this leaf was issued
 * @param modifyIndex equal to {@code createIndex}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LeafCert(@JsonProperty("SerialNumber") String serialNumber, @JsonProperty("CertPEM") String certPem,
		@JsonProperty("PrivateKeyPEM") String privateKeyPem, @JsonProperty("Service") String service,
		@JsonProperty("ServiceURI") String serviceUri, @JsonProperty("ValidAfter") Instant validAfter,
		@JsonProperty("ValidBefore") Instant validBefore, @JsonProperty("CreateIndex") long createIndex,
		@JsonProperty("ModifyIndex") long modifyIndex) {

	@Override
	public String toString() {
		return "LeafCert[service=" + this.service + ", serialNumber=" + this.serialNumber + ", validBefore="
				+ this.validBefore + "]";
	}

}

package dev.connect.agent.ca;

import java.math.BigInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CA's serial counter: small increasing integers shared by roots, cross-signed and leaf certificates, as
 * Consul's raft counter hands them out. The counter is one atomic value, so concurrent issuance never repeats or
 * reorders a serial.
 */
final class SerialNumbers {

	private final AtomicLong last;

	SerialNumbers(long last) {
		this.last = new AtomicLong(last);
	}

	BigInteger next() {
		return BigInteger.valueOf(this.last.incrementAndGet());
	}

	long last() {
		return this.last.get();
	}

}

package dev.connect.benchmarks;

import java.util.concurrent.TimeUnit;

import dev.connect.identity.ServiceIdentity;
import dev.connect.identity.SpiffeId;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of parsing a SPIFFE ID from a peer certificate's URI SAN: the strict parser, and Consul's service form on
 * top of it. Runs once per new connection on the server side.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SpiffeIdParseBenchmark {

	public String serviceId = "spiffe://0b7e3c1a-5d2f-4e8a-9c61-2f4d8a7b9e10.consul/ns/default/dc/dc1/svc/billing";

	@Benchmark
	public SpiffeId parseSpiffeId() {
		return SpiffeId.parse(this.serviceId);
	}

	@Benchmark
	public ServiceIdentity parseServiceIdentity() {
		return ServiceIdentity.parse(this.serviceId);
	}

}

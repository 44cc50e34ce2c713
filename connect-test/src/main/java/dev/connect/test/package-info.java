/**
 * Test support for applications in the mesh: a dev agent per test ({@link dev.connect.test.DevAgentExtension},
 * {@link dev.connect.test.ConnectDevAgent}), intentions and mesh calls as a given identity
 * ({@link dev.connect.test.TestMesh}, {@link dev.connect.test.MeshTestClient},
 * {@link dev.connect.test.MeshWebTestClient}), stub upstreams that answer as a service
 * ({@link dev.connect.test.StubUpstream}), and SPIFFE test certificates ({@link dev.connect.test.SvidAuthority}).
 */
@NullMarked
package dev.connect.test;

import org.jspecify.annotations.NullMarked;

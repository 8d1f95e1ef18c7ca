package io.agentserver.operator.support;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.List;

/**
 * The CRUD dispatcher, plus an answer to the SelfSubjectRulesReview that the SDK's leader election
 * sends before it starts: the mock has no RBAC, stores the review like any object and rejects it
 * for lacking metadata (422), and expectations are not consulted in CRUD mode.
 */
final class RulesReviewingCrudDispatcher extends KubernetesCrudDispatcher {

    private static final String REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

    RulesReviewingCrudDispatcher() {
        super(List.of());
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        if (!request.getPath().startsWith(REVIEWS)) {
            return super.handleCreate(request);
        }
        SelfSubjectRulesReview review = new SelfSubjectRulesReviewBuilder()
                .withNewMetadata().endMetadata()
                .withNewSpec().withNamespace(MockCluster.NAMESPACE).endSpec()
                .withNewStatus().withIncomplete(false)
                    .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
                        .withVerbs("get", "create", "update").endResourceRule()
                .endStatus()
                .build();
        return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json")
                .setBody(new KubernetesSerialization().asJson(review));
    }
}

"""Builds corpus.jsonl and qrels.tsv: the Korean relevance set (run: python -m sangsaeng.search.relevance.build).

Every document is written from hand-made pieces for one topic (a kind of product, a kind of
channel post, a trip album, a person's card), in the forms people really write: particles,
endings, spacing variants, synonyms (휴대폰/핸드폰), English brand words. Each query was written
with the topics that answer it: grade 2 for the topic it asks for, grade 1 for a topic that
partly answers it. Judgements are therefore by topic, decided when the query was written, never
by which words a document happens to contain. The generator is deterministic (fixed seed).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).parent
BRANDS = ["소리샘", "하늘전자", "바른생활", "온누리", "새벽공방", "마루", "다온", "한결", "누리랩", "초록마을"]

# topic -> (kind, titles, sentences). Titles and sentences are combined per document.
TOPICS: dict[str, tuple[str, list[str], list[str]]] = {
    "earphone_wireless": (
        "product",
        [
            "노이즈캔슬링 무선 이어폰",
            "블루투스 5.3 완전무선 이어폰",
            "무선이어폰 오픈형 화이트",
            "운동용 블루투스 이어폰 방수",
        ],
        [
            "출퇴근길 지하철에서도 조용하게 들을 수 있는 무선 이어폰입니다.",
            "한 번 충전으로 30시간 동안 음악을 들을 수 있어요.",
            "귀에 꼭 맞아서 달릴 때도 빠지지 않았어요.",
            "통화 품질이 좋아 회의에도 쓰기 좋습니다.",
            "케이블이 없어 편하게 쓸 수 있는 이어폰이에요.",
        ],
    ),
    "earphone_wired": (
        "product",
        ["유선 이어폰 3.5mm", "C타입 유선이어폰 마이크 포함"],
        [
            "배터리 걱정 없는 유선 이어폰입니다.",
            "선이 잘 꼬이지 않는 플랫 케이블을 썼어요.",
            "게임할 때 지연이 없어 좋습니다.",
        ],
    ),
    "headphone": (
        "product",
        ["오버이어 헤드폰 블루투스", "스튜디오 모니터링 헤드폰"],
        [
            "귀 전체를 덮는 헤드폰이라 오래 써도 편안합니다.",
            "음악 작업용으로 만든 헤드폰이에요.",
            "접어서 가방에 넣기 좋아요.",
        ],
    ),
    "phone_case": (
        "product",
        ["투명 휴대폰 케이스", "갤럭시 핸드폰 케이스 카드수납", "아이폰 15 실리콘 케이스"],
        [
            "떨어뜨려도 모서리를 지켜 주는 휴대폰 케이스입니다.",
            "핸드폰 뒷면에 카드 두 장이 들어가요.",
            "손에 착 감기는 실리콘 재질이에요.",
        ],
    ),
    "phone_charger": (
        "product",
        ["65W 고속 충전기", "휴대폰 무선 충전 패드", "보조배터리 10000mAh"],
        [
            "스마트폰과 노트북을 함께 충전할 수 있어요.",
            "책상 위에 올려두기만 하면 충전됩니다.",
            "여행 갈 때 챙기기 좋은 크기예요.",
        ],
    ),
    "tumbler": (
        "product",
        ["스테인리스 텀블러 500ml", "보온보냉 텀블러 빨대형", "캠핑용 대용량 텀블러"],
        [
            "아침에 담은 커피가 오후까지 따뜻해요.",
            "얼음이 하루 종일 녹지 않았습니다.",
            "세척이 쉬운 넓은 입구로 만들었어요.",
        ],
    ),
    "hallabong": (
        "product",
        ["제주 한라봉 3kg 선물용", "서귀포 노지 한라봉", "못난이 한라봉 가정용 5kg"],
        [
            "제주 서귀포 농장에서 직접 수확한 한라봉입니다.",
            "새콤달콤한 맛이 진해서 아이들이 좋아해요.",
            "명절 선물로 보내기 좋게 포장했습니다.",
        ],
    ),
    "tangerine": (
        "product",
        ["제주 감귤 10kg", "하우스 귤 2kg 소과"],
        [
            "껍질이 얇고 달콤한 제주 감귤이에요.",
            "겨울에 박스로 두고 먹기 좋은 귤입니다.",
            "당도를 선별해서 보내 드려요.",
        ],
    ),
    "kimchi": (
        "product",
        ["국산 배추김치 5kg", "전라도식 갓김치", "아삭한 총각김치 2kg"],
        [
            "국내산 배추와 고춧가루로 담갔습니다.",
            "김치찌개를 끓이면 더 맛있어요.",
            "주문이 들어오면 그날 담가서 보내요.",
        ],
    ),
    "coffee_beans": (
        "product",
        ["에티오피아 예가체프 원두 200g", "다크로스트 블렌드 원두 1kg", "디카페인 원두 드립백"],
        [
            "매주 월요일에 볶아서 신선하게 보내 드립니다.",
            "산미가 밝고 꽃향이 나는 커피예요.",
            "핸드드립과 에스프레소 모두 어울려요.",
        ],
    ),
    "dress": (
        "product",
        ["플라워 롱 원피스", "린넨 셔츠 원피스", "여름 민소매 원피스"],
        [
            "하늘하늘한 소재라 여름에 입기 좋은 원피스예요.",
            "허리 끈으로 핏을 조절할 수 있어요.",
            "하객룩으로도 예뻐요.",
        ],
    ),
    "padding": (
        "product",
        ["경량 패딩 조끼", "롱패딩 구스다운", "숏패딩 점퍼 남녀공용"],
        [
            "한겨울에도 따뜻한 거위털 패딩입니다.",
            "가볍게 접어서 들고 다닐 수 있어요.",
            "모자가 분리되는 점퍼예요.",
        ],
    ),
    "sneakers": (
        "product",
        ["쿠션 러닝화", "화이트 스니커즈 가죽", "경량 워킹화 발볼넓은"],
        [
            "오래 걸어도 발이 편한 운동화예요.",
            "발볼이 넓은 분들께 추천합니다.",
            "마라톤 연습할 때 신었는데 가벼웠어요.",
        ],
    ),
    "backpack": (
        "product",
        ["노트북 백팩 15인치", "여행용 방수 백팩", "초등학생 책가방"],
        [
            "노트북과 충전기가 함께 들어가는 가방이에요.",
            "비 오는 날에도 안이 젖지 않았어요.",
            "어깨끈이 넓어 무겁지 않아요.",
        ],
    ),
    "cosmetics_sunscreen": (
        "product",
        ["무기자차 선크림 SPF50+", "톤업 선크림 50ml"],
        [
            "백탁 없이 얇게 발리는 선크림입니다.",
            "민감한 피부도 자극 없이 쓸 수 있어요.",
            "자외선 차단 지수가 높아 여름에 좋아요.",
        ],
    ),
    "cosmetics_toner": (
        "product",
        ["어성초 토너 300ml", "수분 스킨 대용량"],
        [
            "세안 후 바로 바르는 수분 토너예요.",
            "피부 진정에 도움이 되는 어성초 성분을 담았어요.",
            "끈적임 없이 흡수됩니다.",
        ],
    ),
    "camping_tent": (
        "product",
        ["4인용 돔 텐트", "원터치 캠핑 텐트", "백패킹 1인 텐트 초경량"],
        [
            "혼자서도 10분이면 칠 수 있는 텐트입니다.",
            "가족 캠핑에 넉넉한 크기예요.",
            "비바람에도 끄떡없었어요.",
        ],
    ),
    "book_novel": (
        "product",
        ["장편소설 바다의 기억", "단편소설집 여름밤", "베스트셀러 추리소설"],
        [
            "한 번 읽기 시작하면 멈출 수 없는 소설이에요.",
            "작가의 첫 장편입니다.",
            "밤새 읽었습니다.",
        ],
    ),
    "book_kids": (
        "product",
        ["그림책 달님 안녕", "어린이 과학 동화 전집"],
        [
            "아이에게 읽어 주기 좋은 그림책이에요.",
            "초등 저학년이 혼자 읽을 수 있어요.",
            "잠들기 전에 읽어 줬더니 좋아했어요.",
        ],
    ),
    "artwork_print": (
        "product",
        ["제주 바다 아트 프린트 A3", "한지 판화 작품", "수채화 원화 한정판"],
        [
            "작가가 직접 서명한 한정판 작품입니다.",
            "거실 벽에 걸기 좋은 그림이에요.",
            "제주의 바다를 수채화로 담았어요.",
        ],
    ),
    "post_shipping_delay": (
        "post",
        ["배송 지연 안내", "택배 파업으로 배송이 늦어집니다", "설 연휴 배송 일정 공지"],
        [
            "택배사 사정으로 배송이 2~3일 늦어지고 있습니다.",
            "주문하신 상품이 늦게 도착해서 죄송합니다.",
            "연휴 기간에는 출고가 멈춥니다.",
            "배송이 지연되는 점 양해 부탁드립니다.",
        ],
    ),
    "post_sale": (
        "post",
        ["봄맞이 전 품목 30% 할인", "주말 특가 이벤트", "블랙프라이데이 세일 시작"],
        [
            "이번 주말까지 모든 상품을 할인합니다.",
            "쿠폰을 받으면 추가로 10% 더 깎아 드려요.",
            "선착순 100명에게 사은품을 드립니다.",
        ],
    ),
    "post_new_arrival": (
        "post",
        ["신상품 입고 소식", "가을 신상 드디어 나왔어요", "재입고 알림"],
        [
            "기다리시던 상품이 다시 들어왔습니다.",
            "새로 나온 제품을 가장 먼저 만나 보세요.",
            "품절됐던 색상이 재입고됐어요.",
        ],
    ),
    "post_closed": (
        "post",
        ["매장 임시 휴무 안내", "정기 휴무일 변경", "추석 연휴 휴무"],
        [
            "내부 공사로 이번 주 토요일은 문을 닫습니다.",
            "매주 월요일은 쉬어 갑니다.",
            "연휴 동안 매장을 쉽니다.",
        ],
    ),
    "post_recipe": (
        "post",
        ["한라봉 에이드 만드는 법", "김치볶음밥 레시피", "집에서 만드는 콜드브루"],
        [
            "한라봉을 반으로 잘라 즙을 짜 주세요.",
            "잘 익은 김치를 잘게 썰어 볶으면 됩니다.",
            "원두를 굵게 갈아 찬물에 12시간 우려요.",
        ],
    ),
    "post_exchange": (
        "post",
        ["교환 반품 안내", "환불 절차가 바뀌었습니다"],
        [
            "받으신 날부터 7일 안에 교환이나 반품을 신청할 수 있어요.",
            "단순 변심은 왕복 배송비가 듭니다.",
            "환불은 3영업일 안에 처리됩니다.",
        ],
    ),
    "post_drop": (
        "post",
        ["한정판 드롭 오픈 예고", "작가 협업 에디션 판매 시작"],
        [
            "내일 오전 9시에 한정판 작품 50점을 공개합니다.",
            "한 사람당 하나씩만 구매할 수 있어요.",
            "판매 시작 알림을 받아 보세요.",
        ],
    ),
    "album_jeju": (
        "album",
        ["제주도 가족여행", "제주 한 달 살기", "성산일출봉 해돋이"],
        [
            "제주도에서 찍은 사진",
            "성산일출봉에 올라 해돋이를 봤다",
            "협재 해변 노을",
            "우도 자전거 여행",
            "서귀포 올레길 7코스",
        ],
    ),
    "album_busan": (
        "album",
        ["부산 여행", "해운대 여름 휴가", "광안리 불꽃축제"],
        [
            "해운대 바다에서 찍은 사진",
            "광안대교 야경",
            "자갈치 시장 회센터",
            "감천문화마을 골목",
        ],
    ),
    "album_seoul": (
        "album",
        ["서울 나들이", "경복궁 야간개장", "한강 공원 피크닉"],
        [
            "경복궁 근정전 앞에서",
            "여의도 한강공원 벚꽃",
            "북촌 한옥마을 산책",
            "남산타워 야경",
        ],
    ),
    "album_wedding": (
        "album",
        ["결혼식 사진", "웨딩 촬영 스냅", "돌잔치"],
        [
            "신랑 신부 입장",
            "하객들과 단체 사진",
            "웨딩드레스 피팅",
            "아기 첫돌 잔치",
        ],
    ),
    "album_food": (
        "album",
        ["맛집 기록", "집밥 일기"],
        [
            "을지로 노포 냉면",
            "전주 비빔밥",
            "엄마가 끓여 준 된장찌개",
            "성수동 카페 디저트",
        ],
    ),
    "album_pet": (
        "album",
        ["우리 강아지 콩이", "고양이 나비 성장 일기"],
        [
            "산책하는 강아지",
            "간식 먹는 고양이",
            "동물병원 예방접종",
            "강아지 생일 파티",
        ],
    ),
    "card_kim_minji": (
        "card",
        ["김민지 상생전자 마케팅팀 대리"],
        ["마케팅팀 · 서울특별시 강남구 테헤란로 · 브랜드 캠페인 담당"],
    ),
    "card_lee_junho": ("card", ["이준호 한빛소프트 개발팀 책임"], ["백엔드 개발 · 판교 · 파이썬과 데이터베이스"]),
    "card_park_seoyeon": ("card", ["박서연 제주감귤농원 대표"], ["서귀포시 남원읍 · 한라봉과 감귤 농장 운영"]),
    "card_choi_woojin": ("card", ["최우진 누리디자인 아트디렉터"], ["브랜드 디자인 · 로고와 패키지 · 성수동 스튜디오"]),
    "card_jung_hayoon": ("card", ["정하윤 바른법률사무소 변호사"], ["계약 검토와 스타트업 법률 자문 · 서초동"]),
    "card_kang_minsu": ("card", ["강민수 상생물류 배송관리팀 팀장"], ["택배 배송 관리 · 물류센터 운영 · 이천"]),
    "card_yoon_jiwoo": ("card", ["윤지우 온누리카페 바리스타"], ["스페셜티 커피 · 원두 로스팅 · 제주시 애월"]),
    "card_han_sora": ("card", ["한소라 하늘병원 소아과 전문의"], ["소아청소년과 진료 · 예방접종 · 분당"]),
    "card_kim_minjun": ("card", ["김민준 초록마을 영업부 과장"], ["유기농 식품 유통 · 거래처 영업 · 대전"]),
    "card_seo_jihye": ("card", ["서지혜 다온출판사 편집자"], ["그림책과 어린이 도서 기획 · 파주출판단지"]),
}

COUNTS = {"product": 8, "post": 10, "album": 10, "card": 1}

# query -> {topic: grade}
QUERIES: dict[str, dict[str, int]] = {
    "무선 이어폰": {"earphone_wireless": 2, "earphone_wired": 1, "headphone": 1},
    "무선이어폰을": {"earphone_wireless": 2, "earphone_wired": 1},
    "블루투스 이어폰 추천해 주세요": {"earphone_wireless": 2, "headphone": 1},
    "유선 이어폰": {"earphone_wired": 2, "earphone_wireless": 1},
    "헤드폰": {"headphone": 2},
    "음악 들을 때 쓰는 헤드폰이": {"headphone": 2, "earphone_wireless": 1},
    "핸드폰 케이스": {"phone_case": 2},
    "휴대폰 케이스를": {"phone_case": 2},
    "스마트폰 충전기": {"phone_charger": 2},
    "보조배터리가": {"phone_charger": 2},
    "텀블러": {"tumbler": 2},
    "커피가 따뜻하게 유지되는 텀블러": {"tumbler": 2, "coffee_beans": 1},
    "한라봉": {"hallabong": 2, "post_recipe": 1, "card_park_seoyeon": 1},
    "제주 한라봉 선물": {"hallabong": 2, "tangerine": 1},
    "감귤": {"tangerine": 2, "card_park_seoyeon": 1, "hallabong": 1},
    "귤을 박스로": {"tangerine": 2},
    "김치": {"kimchi": 2, "post_recipe": 1},
    "배추김치를 주문하면": {"kimchi": 2},
    "원두": {"coffee_beans": 2, "card_yoon_jiwoo": 1, "post_recipe": 1},
    "에티오피아 커피": {"coffee_beans": 2},
    "원피스": {"dress": 2},
    "여름에 입을 원피스는": {"dress": 2},
    "패딩": {"padding": 2},
    "따뜻한 겨울 점퍼": {"padding": 2},
    "운동화": {"sneakers": 2},
    "발볼 넓은 러닝화": {"sneakers": 2},
    "노트북 가방": {"backpack": 2},
    "백팩을": {"backpack": 2},
    "선크림": {"cosmetics_sunscreen": 2},
    "자외선 차단": {"cosmetics_sunscreen": 2},
    "토너": {"cosmetics_toner": 2},
    "피부 진정": {"cosmetics_toner": 2, "cosmetics_sunscreen": 1},
    "텐트": {"camping_tent": 2},
    "캠핑 텐트를 치는": {"camping_tent": 2},
    "소설": {"book_novel": 2},
    "추리소설": {"book_novel": 2},
    "그림책": {"book_kids": 2, "card_seo_jihye": 1},
    "아이에게 읽어 줄 책": {"book_kids": 2},
    "한정판 작품": {"artwork_print": 2, "post_drop": 2},
    "수채화": {"artwork_print": 2},
    "배송 지연": {"post_shipping_delay": 2, "card_kang_minsu": 1},
    "배송이 늦어요": {"post_shipping_delay": 2},
    "택배": {"post_shipping_delay": 2, "card_kang_minsu": 1},
    "할인 이벤트": {"post_sale": 2},
    "세일하나요": {"post_sale": 2},
    "재입고": {"post_new_arrival": 2},
    "신상품": {"post_new_arrival": 2},
    "휴무": {"post_closed": 2},
    "매장 쉬는 날": {"post_closed": 2},
    "레시피": {"post_recipe": 2},
    "한라봉 에이드": {"post_recipe": 2, "hallabong": 1},
    "반품": {"post_exchange": 2},
    "환불받으려면": {"post_exchange": 2},
    "드롭 오픈": {"post_drop": 2},
    "제주도 여행 사진": {"album_jeju": 2},
    "성산일출봉에서": {"album_jeju": 2},
    "해돋이": {"album_jeju": 2},
    "부산": {"album_busan": 2},
    "해운대 바다": {"album_busan": 2},
    "야경": {"album_seoul": 2, "album_busan": 2},
    "경복궁": {"album_seoul": 2},
    "한강": {"album_seoul": 2},
    "결혼식": {"album_wedding": 2},
    "웨딩 사진": {"album_wedding": 2},
    "맛집": {"album_food": 2},
    "냉면": {"album_food": 2},
    "강아지": {"album_pet": 2},
    "고양이 사진": {"album_pet": 2},
    "김민지": {"card_kim_minji": 2},
    "마케팅팀 대리": {"card_kim_minji": 2},
    "개발자 명함": {"card_lee_junho": 2},
    "변호사": {"card_jung_hayoon": 2},
    "디자이너": {"card_choi_woojin": 2},
    "바리스타": {"card_yoon_jiwoo": 2, "coffee_beans": 1},
    "소아과 의사": {"card_han_sora": 2},
    "편집자": {"card_seo_jihye": 2},
    "물류 팀장": {"card_kang_minsu": 2},
    "농장 대표": {"card_park_seoyeon": 2},
    "김민준 과장": {"card_kim_minjun": 2},
}


def _doc(rng: random.Random, kind: str, titles: list[str], sentences: list[str], n: int) -> tuple[str, str]:
    title = titles[n % len(titles)]
    if kind == "product":
        title = f"[{rng.choice(BRANDS)}] {title}"
        text = " ".join(rng.sample(sentences, k=min(len(sentences), rng.randint(2, 3))))
    elif kind == "post":
        text = " ".join(rng.sample(sentences, k=min(len(sentences), rng.randint(2, 3))))
        title = f"{rng.choice(BRANDS)} 소식: {title}"
    elif kind == "album":
        picks = rng.sample(sentences, k=min(len(sentences), 2))
        title = f"{title} {2020 + n % 6}" if n >= len(titles) else title
        text = " · ".join([f"IMG_{rng.randint(1000, 9999)}.jpg", *picks])
    else:
        text = sentences[0]
    return title, text


def build() -> None:
    rng = random.Random(20261130)  # noqa: S311 (a fixed corpus, not a secret)
    docs: list[dict[str, str]] = []
    by_topic: dict[str, list[str]] = {}
    for topic, (kind, titles, sentences) in TOPICS.items():
        for n in range(COUNTS[kind]):
            title, text = _doc(rng, kind, titles, sentences, n)
            doc_id = f"{topic}-{n + 1:02d}"
            docs.append({"id": doc_id, "kind": kind, "title": title, "text": text})
            by_topic.setdefault(topic, []).append(doc_id)
    with (HERE / "corpus.jsonl").open("w", encoding="utf-8") as out:
        for doc in docs:
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    with (HERE / "qrels.tsv").open("w", encoding="utf-8") as out:
        for query, topics in QUERIES.items():
            for topic, grade in topics.items():
                for doc_id in by_topic[topic]:
                    out.write(f"{query}\t{doc_id}\t{grade}\n")
    print(f"{len(docs)} documents, {len(QUERIES)} queries")


if __name__ == "__main__":
    build()
